import type { OperatorFunction } from 'rxjs';
import { concatMap, defer, takeWhile } from 'rxjs';
import type { DataItem } from '../protocol/frames.js';
import type { AttemptEvent, TaskEvent } from '../request/task-event.js';

/** How results of one task are counted. */
export interface CollectResultsOptions {
  /** The task the events belong to. */
  readonly taskUUID: string;
  readonly taskType: string;
  /** How many result items end the task (`numberResults`). */
  readonly expected: number;
  /** A stable identity of an item (its output UUID); items seen before are dropped. */
  readonly keyOf: (item: DataItem) => string | undefined;
  /**
   * `false` (default): the first failed item fails the task. `true`: failed items are reported
   * as `failed` events beside the successful ones and the task completes once every item settled.
   */
  readonly settled?: boolean;
}

/**
 * Turns attempt events into task events: numbers result items in arrival order, drops items
 * already delivered (a replay after a reconnect, a poll repeating earlier successes, a retry),
 * reports `submitted` and `accepted` once however often they recur, and completes right after
 * the last expected item. State lives in the subscription, so each subscriber counts afresh.
 *
 * @param options The task, the expected count and the failure policy.
 * @returns An operator from attempt events to task events.
 */
export function collectResults<TResult = DataItem>(
  options: CollectResultsOptions,
): OperatorFunction<AttemptEvent, TaskEvent<TResult>> {
  const { taskUUID, taskType, expected, keyOf, settled = false } = options;
  return (attempts$) =>
    defer(() => {
      const seen = new Set<string>();
      const failedPositions = new Set<number>();
      let pushedFailures = 0;
      let settledItems = 0;
      let submitted = false;
      let accepted = false;
      const toTaskEvents = (event: AttemptEvent): TaskEvent<TResult>[] => {
        switch (event.type) {
          case 'submitted':
            if (submitted) return [];
            submitted = true;
            return [{ type: 'submitted', taskUUID, taskType }];
          case 'accepted':
            if (accepted) return [];
            accepted = true;
            return [{ type: 'accepted', taskUUID }];
          case 'status':
            return [{ ...event, taskUUID }];
          case 'retrying':
            return [{ ...event, taskUUID }];
          case 'item': {
            const key = keyOf(event.item);
            if (key !== undefined) {
              if (seen.has(key)) return [];
              seen.add(key);
            }
            const index = settledItems;
            settledItems += 1;
            return [{ type: 'result', taskUUID, index, item: event.item as TResult }];
          }
          case 'itemFailed': {
            if (!settled) throw event.error;
            // Failures carry no identity; a cumulative answer lists them in a stable order, so
            // the n-th one (pushed earlier or polled) is the same failure every time.
            const position = event.position ?? pushedFailures++;
            if (failedPositions.has(position)) return [];
            failedPositions.add(position);
            const index = settledItems;
            settledItems += 1;
            return [{ type: 'failed', taskUUID, index, error: event.error }];
          }
        }
      };
      return attempts$.pipe(
        concatMap(toTaskEvents),
        takeWhile(() => settledItems < expected, true),
      );
    });
}
