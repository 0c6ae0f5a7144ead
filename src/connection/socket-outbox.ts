import { asapScheduler } from 'rxjs';
import type { Log } from './connection-log.js';
import { createOutbox } from './create-outbox.js';
import type { FrameRefusals } from './frame-refusals.js';
import { createFrameRefusals } from './frame-refusals.js';
import type { Outbox } from './outbox.js';
import type { TaskRouter } from './task-router.js';

/** How a connection's outbox writes. */
export interface SocketOutboxOptions {
  /** Writes one frame to the authenticated socket of the moment; `false` when there is none. */
  readonly write: (frame: string) => boolean;
  /** Largest outbound frame, in characters, before the batch is split. */
  readonly maxFrameLength: number;
  /** Queued characters that are written at once rather than at the end of the turn. */
  readonly flushAt: number;
  /** Told about each task that went out. */
  readonly router: TaskRouter;
  /** The connection's log. */
  readonly log: Log | undefined;
}

/** A connection's outbox, and the record of the frames the server refused on its socket. */
export interface SocketOutbox {
  /** The frames of the present socket that the server refused whole; their tasks go out again through the outbox. */
  readonly refusals: FrameRefusals;
  /** The outbox, made now if no task has made it yet. */
  get(): Outbox;
  /** The outbox, if a task has made it. */
  current(): Outbox | undefined;
}

/**
 * Creates a connection's outbox, made with its first task: a connection that only connects (a
 * health check's) never writes one. Frames are flushed after the current task, each route is told
 * its task went out, and each frame written is recorded for the refusals.
 *
 * @param options The writer, the frame sizes, the router and the log.
 * @returns The outbox to be.
 */
export function createSocketOutbox(options: SocketOutboxOptions): SocketOutbox {
  const { router, log } = options;
  let outbox: Outbox | undefined;
  const refusals = createFrameRefusals({
    resendAlone: (route, text, submission) => outbox?.push(text, route, submission),
    warn: (event, text) => log?.('warn', event, text),
  });
  return {
    refusals,
    get: () =>
      (outbox ??= createOutbox({
        write: options.write,
        maxFrameLength: options.maxFrameLength,
        flushAt: options.flushAt,
        schedule: (work) => void asapScheduler.schedule(work),
        sent: (route) => router.sent(route),
        written: (frame) => refusals.written(frame),
      })),
    current: () => outbox,
  };
}
