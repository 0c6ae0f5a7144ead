import { utf8Length } from '../util/utf8-length.js';
import type { Route, WrittenFrame } from './route.js';

/** Tasks waiting to be written, batched into as few frames as possible. */
export interface Outbox {
  /**
   * Queues one task's JSON text; `route` is the task that waits for its answer, and
   * `submission` marks the task itself (as opposed to a poll of it).
   */
  push(text: string, route?: Route, submission?: boolean): void;
  /**
   * Runs `pushes`, and queues what it pushes ahead of everything already waiting: after a
   * reconnect, the re-sends of tasks submitted before the outage go out before the tasks
   * submitted during it, as the user submitted them.
   */
  ahead(pushes: () => void): void;
  /** Writes everything queued now, if the link is open; otherwise keeps it for later. */
  flush(): void;
  /** Forgets everything queued. */
  clear(): void;
  /** A new socket is open: what its peer may refuse is what is written from now on. */
  newSocket(): void;
  /**
   * The peer closed the last socket because a frame was too large for it (close code 1009), and
   * does not say which. The largest frame written on that socket, in UTF-8 bytes as the peer
   * counts, is taken for it: if it held one submission, that task is too large for this server
   * and is returned, to be failed; if it held more tasks, frames are split at half its length in
   * characters from now on (never finer than 1,024 characters; a frame already split that fine that
   * is refused again makes every task go alone), and everything is re-sent as usual (a lone task
   * that is still too large is then found by the next refusal). Each refusal of a frame of several
   * tasks makes the frames strictly smaller, so a server that takes less than any frame still ends
   * with every task alone, and the ones too large failed one by one. A lone poll is never blamed:
   * it is a few dozen bytes, and its task runs.
   *
   * @returns The route of the task too large, and the length of its frame in bytes; `undefined` if there is none.
   */
  refusedAsTooLarge(): { readonly route: Route; readonly length: number } | undefined;
  /** The length in characters past which a frame is closed now (0: every task alone). */
  frameLimit(): number;
}

/**
 * Frames are split no finer than this many characters by halving: a server that refuses frames
 * this small too gets every task alone (a frame limit of 0).
 */
const MIN_FRAME_LENGTH = 1024;

/** Entries taken off the queue together, as parallel lists. */
interface Batch {
  readonly texts: readonly string[];
  readonly routes: readonly (Route | undefined)[];
  readonly submissions: readonly boolean[];
}

/** Where and how the outbox writes. */
export interface OutboxOptions {
  /** Writes one frame; returns `false` when no authenticated socket can take it. */
  readonly write: (frame: string) => boolean;
  /** A frame is closed once its text would exceed this many characters (a lone task may). */
  readonly maxFrameLength: number;
  /**
   * Once this many characters are queued when a submission is pushed, they are written at once
   * instead of at the end of the turn: a burst of submissions then streams out while it is being
   * built, and the server starts working on the first tasks while the client still prepares the
   * last. Polls never flush early, so a round of polls stays one frame.
   */
  readonly flushAt: number;
  /** Runs the flush after the current task; every push before it shares the frame. */
  readonly schedule: (work: () => void) => void;
  /** Told about each route whose task went out. */
  readonly sent: (route: Route) => void;
  /** Told about each frame written, after its routes (each route's `frame` is set to it). */
  readonly written?: (frame: WrittenFrame) => void;
}

/**
 * Creates the outbox. Tasks pushed in the same turn of the event loop go out as one frame (the
 * protocol takes an array of tasks), which is what lets ten thousand submissions or a round of
 * polls cost a handful of frames. Entries of tasks that stopped listening before the frame was
 * written are dropped, so a cancelled request is never sent. While the link is down the queue
 * waits; the connection flushes it once the next socket is authenticated.
 *
 * @param options The writer, the frame size limit and the scheduler.
 * @returns An empty outbox.
 */
export function createOutbox(options: OutboxOptions): Outbox {
  const { write, maxFrameLength, flushAt, schedule, sent, written } = options;
  // Every task passes here: the queue is three parallel lists rather than an object per entry.
  let texts: string[] = [];
  let routes: (Route | undefined)[] = [];
  let submissions: boolean[] = [];
  let queued = 0;
  let scheduled = false;
  // After a refused write (no authenticated socket) the queue waits for the connection's flush on
  // open; otherwise every push or turn would try again and copy the whole queue each time.
  let blocked = false;
  let frameLimit = maxFrameLength;
  // The largest frame written on the present socket: its UTF-8 length and its characters, how many
  // tasks, the first's route, and whether that one was a submission.
  let largestLength = 0;
  let largestChars = 0;
  let largestCount = 0;
  let largestRoute: Route | undefined;
  let largestSubmission = false;

  const forgetLargest = (): void => {
    largestLength = largestChars = largestCount = 0;
    largestRoute = undefined;
    largestSubmission = false;
  };

  /** Writes one frame of `count` tasks, entries `from` to `to` (exclusive) of a batch, and tells their routes. */
  const writeFrame = (frame: string, count: number, batch: Batch, from: number, to: number): boolean => {
    const text = `${frame}]`;
    if (!write(text)) return false;
    // Counted on the text written, which the write has made flat: a frame is at most three bytes a
    // character, so one shorter than a third of the largest is not counted.
    const bytes = 3 * text.length < largestLength ? 0 : utf8Length(text);
    if (bytes >= largestLength) {
      largestLength = bytes;
      largestChars = text.length;
      largestCount = count;
      largestRoute = batch.routes[from];
      largestSubmission = batch.submissions[from] === true;
    }
    const carried: WrittenFrame = { answered: false, routes: [] };
    for (let index = from; index < to; index += 1) {
      const route = batch.routes[index];
      if (route === undefined || route.closed) continue;
      const text = batch.texts[index]!;
      route.pending = text;
      route.frame = carried;
      carried.routes.push(route);
      if (batch.submissions[index] === true) route.submission ??= text;
      sent(route);
    }
    written?.(carried);
    return true;
  };

  const flush = (): void => {
    scheduled = false;
    if (blocked) return;
    // Taken off the queue first: what the routes' `sent` pushes goes into a fresh one.
    const batch: Batch = { texts, routes, submissions };
    const count = texts.length;
    texts = [];
    routes = [];
    submissions = [];
    queued = 0;
    let frame = '';
    let start = 0;
    let tasks = 0;
    // The frame under way holds a task that goes alone: the next one starts a frame of its own.
    let closeAfter = false;
    for (let index = 0; index < count; index += 1) {
      const route = batch.routes[index];
      if (route?.closed === true) continue;
      const text = batch.texts[index]!;
      const alone = route?.alone === true;
      // The opening bracket, each text and its comma or closing bracket.
      if (frame !== '' && (closeAfter || alone || frame.length + text.length + 2 > frameLimit)) {
        if (!writeFrame(frame, tasks, batch, start, index)) return requeue(batch, start);
        frame = '';
      }
      closeAfter = alone;
      if (frame === '') {
        start = index;
        tasks = 1;
        frame = `[${text}`;
      } else {
        tasks += 1;
        frame += `,${text}`;
      }
    }
    if (frame !== '' && !writeFrame(frame, tasks, batch, start, count)) requeue(batch, start);
  };

  /** Puts what could not be written back ahead of anything pushed since, until the connection flushes. */
  const requeue = (batch: Batch, from: number): void => {
    texts = batch.texts.slice(from).concat(texts);
    routes = batch.routes.slice(from).concat(routes);
    submissions = batch.submissions.slice(from).concat(submissions);
    queued = texts.reduce((sum, text) => sum + text.length, 0);
    blocked = true;
  };

  return {
    push(text, route, submission = false) {
      texts.push(text);
      routes.push(route);
      submissions.push(submission);
      queued += text.length;
      // Only submissions stream out early: a round of polls is small and belongs in one frame.
      if (submission && queued >= flushAt && !blocked) flush();
      else if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
    },
    ahead(pushes) {
      const waiting: Batch = { texts, routes, submissions };
      const waitingLength = queued;
      texts = [];
      routes = [];
      submissions = [];
      queued = 0;
      // Nothing may be written while the waiting entries are set aside: they would lose their place.
      const wasBlocked = blocked;
      blocked = true;
      try {
        pushes();
      } finally {
        blocked = wasBlocked;
        texts = texts.concat(waiting.texts);
        routes = routes.concat(waiting.routes);
        submissions = submissions.concat(waiting.submissions);
        queued += waitingLength;
      }
    },
    flush: () => {
      blocked = false;
      flush();
    },
    clear() {
      texts = [];
      routes = [];
      submissions = [];
      queued = 0;
    },
    newSocket: forgetLargest,
    frameLimit: () => frameLimit,
    refusedAsTooLarge() {
      const length = largestLength;
      const route = largestCount === 1 && largestSubmission ? largestRoute : undefined;
      if (length === 0) return undefined;
      // Halved in characters, from the smaller of the limit and the frame refused: a limit taken
      // from its bytes (up to three a character) need not make the next frames any smaller.
      if (largestCount > 1) frameLimit = frameLimit > MIN_FRAME_LENGTH ? Math.max(MIN_FRAME_LENGTH, Math.floor(Math.min(frameLimit, largestChars) / 2)) : 0;
      forgetLargest();
      return route === undefined || route.closed ? undefined : { route, length };
    },
  };
}
