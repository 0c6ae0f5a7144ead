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
  /** Runs the flush after the current task; every push before it shares the frame. */
  readonly schedule: (work: () => void) => void;
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
  const { write, maxFrameLength, schedule } = options;
  let queue: Entry[] = [];
  let scheduled = false;

  const writeBatch = (batch: readonly Entry[]): boolean => {
    if (!write(`[${batch.map((entry) => entry.text).join(',')}]`)) return false;
    for (const { text, route, submission } of batch) {
      if (route === undefined) continue;
      route.pending = text;
      if (submission) route.submission ??= text;
      route.replies.next({ type: 'sent' });
    }
    return true;
  };

  const flush = (): void => {
    scheduled = false;
    const entries = queue.filter((entry) => entry.route?.closed !== true);
    queue = [];
    // The opening bracket; each entry adds its text and one comma or the closing bracket.
    let start = 0;
    let length = 1;
    for (let index = 0; index <= entries.length; index += 1) {
      const entry = entries[index];
      const full = entry === undefined || (index > start && length + entry.text.length + 1 > maxFrameLength);
      if (full && index > start) {
        if (!writeBatch(entries.slice(start, index))) {
          queue = entries.slice(start).concat(queue);
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
      if (scheduled) return;
      scheduled = true;
      schedule(flush);
    },
    flush,
    clear() {
      queue = [];
    },
  };
}
