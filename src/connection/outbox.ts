import type { Route } from './task-router.js';

/** Tasks waiting to be written, batched into as few frames as possible. */
export interface Outbox {
  /**
   * Queues one task's JSON text; `route` is the task that waits for its answer, and
   * `submission` marks the task itself (as opposed to a poll of it).
   */
  push(text: string, route?: Route, submission?: boolean): void;
  /** Writes everything queued now, if the link is open; otherwise keeps it for later. */
  flush(): void;
  /** Forgets everything queued. */
  clear(): void;
}

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
  const { write, maxFrameLength, flushAt, schedule, sent } = options;
  // Every task passes here: the queue is three parallel lists rather than an object per entry.
  let texts: string[] = [];
  let routes: (Route | undefined)[] = [];
  let submissions: boolean[] = [];
  let queued = 0;
  let scheduled = false;
  // After a refused write (no authenticated socket) the queue waits for the connection's flush on
  // open; otherwise every push or turn would try again and copy the whole queue each time.
  let blocked = false;

  /** Writes one frame of entries `from` to `to` (exclusive) of a batch, and tells their routes. */
  const writeFrame = (frame: string, batch: Batch, from: number, to: number): boolean => {
    if (!write(`${frame}]`)) return false;
    for (let index = from; index < to; index += 1) {
      const route = batch.routes[index];
      if (route === undefined || route.closed) continue;
      const text = batch.texts[index]!;
      route.pending = text;
      if (batch.submissions[index] === true) route.submission ??= text;
      sent(route);
    }
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
    for (let index = 0; index < count; index += 1) {
      if (batch.routes[index]?.closed === true) continue;
      const text = batch.texts[index]!;
      // The opening bracket, each text and its comma or closing bracket.
      if (frame !== '' && frame.length + text.length + 2 > maxFrameLength) {
        if (!writeFrame(frame, batch, start, index)) return requeue(batch, start);
        frame = '';
      }
      if (frame === '') {
        start = index;
        frame = `[${text}`;
      } else frame += `,${text}`;
    }
    if (frame !== '' && !writeFrame(frame, batch, start, count)) requeue(batch, start);
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
  };
}
