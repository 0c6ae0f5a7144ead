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

interface Entry {
  readonly text: string;
  readonly route: Route | undefined;
  readonly submission: boolean;
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
  let queue: Entry[] = [];
  let queued = 0;
  let scheduled = false;
  // After a refused write (no authenticated socket) the queue waits for the connection's flush on
  // open; otherwise every push or turn would try again and copy the whole queue each time.
  let blocked = false;

  const writeBatch = (batch: readonly Entry[]): boolean => {
    if (!write(`[${batch.map((entry) => entry.text).join(',')}]`)) return false;
    for (const { text, route, submission } of batch) {
      if (route === undefined) continue;
      route.pending = text;
      if (submission) route.submission ??= text;
      sent(route);
    }
    return true;
  };

  const flush = (): void => {
    scheduled = false;
    if (blocked) return;
    const entries = queue.filter((entry) => entry.route?.closed !== true);
    queue = [];
    queued = 0;
    // The opening bracket; each entry adds its text and one comma or the closing bracket.
    let start = 0;
    let length = 1;
    for (let index = 0; index <= entries.length; index += 1) {
      const entry = entries[index];
      const full = entry === undefined || (index > start && length + entry.text.length + 1 > maxFrameLength);
      if (full && index > start) {
        if (!writeBatch(entries.slice(start, index))) {
          queue = entries.slice(start).concat(queue);
          queued = queue.reduce((sum, entry) => sum + entry.text.length, 0);
          blocked = true;
          return;
        }
        start = index;
        length = 1;
      }
      if (entry !== undefined) length += entry.text.length + 1;
    }
  };

  return {
    push(text, route, submission = false) {
      queue.push({ text, route, submission });
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
      queue = [];
      queued = 0;
    },
  };
}
