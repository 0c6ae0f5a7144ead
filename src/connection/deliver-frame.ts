import { asyncScheduler } from 'rxjs';
import type { Log } from './connection-log.js';
import { describe } from './connection-log.js';
import type { FrameRefusals } from './frame-refusals.js';
import type { LinkEvent } from './link-event.js';
import type { TaskRouter } from './task-router.js';

/** What a frame from the server is handed to. */
export interface FrameDelivery {
  readonly router: TaskRouter;
  readonly refusals: FrameRefusals;
  readonly log: Log | undefined;
}

/**
 * Hands one frame from the server to the tasks it answers, and makes visible what no task took:
 * errors without a task (which may be refusals of a frame written), items that do not read as
 * results, handlers that threw, and answers for tasks no longer in flight.
 *
 * @param frame The frame, parsed, with its text for the log.
 * @param to The router, the refusal tracker and the log.
 */
export function deliverFrame(frame: Extract<LinkEvent, { type: 'frame' }>, to: FrameDelivery): void {
  const { router, refusals, log } = to;
  log?.('debug', 'frame.in', frame.text);
  const { unroutable, unknown, unclaimed, thrown } = router.dispatch(frame.frame, asyncScheduler.now());
  for (const item of unroutable) {
    log?.('warn', 'error.unroutable', `${item.code}: ${item.message}`);
    refusals.unroutable(item);
  }
  // After the frame's replies: they may show that frames still unanswered are the refused ones.
  refusals.settle();
  for (const item of unclaimed) log?.('warn', 'item.invalid', `${item.reason}: ${describe(item.raw)}`);
  for (const { taskUUID, error } of thrown) log?.('warn', 'task.readFailed', `${taskUUID}: ${describe(error)}`);
  // Late answers to finished or cancelled tasks, replays of delivered results: normal, but visible.
  if (unknown > 0) log?.('debug', 'frame.unknown', `${unknown} item(s) for tasks not in flight`);
}
