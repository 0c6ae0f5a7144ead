import { utf8Length } from '../util/utf8-length.js';
import type { Outbox, OutboxOptions } from './outbox.js';
import type { Route, WrittenFrame } from './route.js';
import { halvedFrameLimit } from './too-large.js';

/** Entries taken off the queue together, as parallel lists. */
interface Batch {
  readonly texts: readonly string[];
  readonly routes: readonly (Route | undefined)[];
  readonly submissions: readonly boolean[];
}

/** Whether nobody listens to the task any more (a function: the answer can change between two looks). */
const cancelled = (route: Route | undefined): boolean => route?.closed === true;

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
    const carried: WrittenFrame = { answered: false, routes: [], submissions: 0 };
    for (let index = from; index < to; index += 1) {
      const route = batch.routes[index];
      if (route === undefined || route.closed) continue;
      const text = batch.texts[index]!;
      const submission = batch.submissions[index] === true;
      // A poll (an attach's, sharing the route) does not take the place of a submission no reply
      // has answered: re-sent alone after a loss, it would find no task on a server that never
      // read the submission. The submission's answer reaches every listener of the route.
      if (submission || route.pending === undefined || route.pending !== route.submission) route.pending = text;
      route.frame = carried;
      carried.routes.push(route);
      if (submission) {
        route.submission ??= text;
        carried.submissions += 1;
      }
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
      if (cancelled(route)) continue;
      const text = batch.texts[index]!;
      const alone = route?.alone === true;
      // The opening bracket, each text and its comma or closing bracket.
      if (frame !== '' && (closeAfter || alone || frame.length + text.length + 2 > frameLimit)) {
        if (!writeFrame(frame, tasks, batch, start, index)) return requeue(batch, start);
        frame = '';
        // Told it was sent, a route of that frame may have cancelled this task (its `submitted`
        // handler): it was checked before, and a task nobody listens to is not written.
        if (cancelled(route)) continue;
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
      if (largestCount > 1) frameLimit = halvedFrameLimit(frameLimit, largestChars);
      forgetLargest();
      return route === undefined || route.closed ? undefined : { route, length };
    },
  };
}
