import type { OperatorFunction, Subscriber, Subscription } from 'rxjs';
import { Observable } from 'rxjs';
import type { DataItem } from '../protocol/frames.js';
import type { AttemptEvent, TaskEvent } from '../request/task-event.js';

/** How results of one task are counted. */
export interface CollectResultsOptions {
  /** The task the events belong to. */
  readonly taskUUID: string;
  /** Its type, for the `submitted` event. */
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
 * Every request carries it, so a subscription is one small object with its methods on a
 * prototype, and the set of seen items exists only once one was seen.
 *
 * @param options The task, the expected count and the failure policy.
 * @returns An operator from attempt events to task events.
 */
export function collectResults<TResult = DataItem>(
  options: CollectResultsOptions,
): OperatorFunction<AttemptEvent, TaskEvent<TResult>> {
  return (attempts$) =>
    new Observable<TaskEvent<TResult>>((subscriber) => {
      const collector = new Collector<TResult>(subscriber, options);
      collector.input = attempts$.subscribe(collector);
      return collector;
    });
}

/**
 * One subscription's count: it is the observer of the attempts and its own teardown. Exported
 * for runware-rx's fused request path, which feeds it directly instead of through an operator.
 */
export class Collector<TResult> {
  input: Subscription | undefined;
  private seen: Set<string> | undefined;
  private failedPositions: Set<number> | undefined;
  private pushedFailures = 0;
  private settledItems = 0;
  private submitted = false;
  private accepted = false;

  constructor(
    private readonly subscriber: Subscriber<TaskEvent<TResult>>,
    private readonly options: CollectResultsOptions,
  ) {}

  next(event: AttemptEvent): void {
    const { subscriber } = this;
    const { taskUUID, taskType } = this.options;
    switch (event.type) {
      case 'submitted':
        if (!this.submitted) subscriber.next({ type: 'submitted', taskUUID, taskType });
        this.submitted = true;
        return;
      case 'accepted':
        if (!this.accepted) subscriber.next({ type: 'accepted', taskUUID });
        this.accepted = true;
        return;
      case 'status':
      case 'retrying':
        subscriber.next({ ...event, taskUUID });
        return;
      case 'item':
        if (this.isNew(this.options.keyOf(event.item))) {
          this.settle({ type: 'result', taskUUID, index: this.settledItems, item: event.item as TResult });
        }
        return;
      case 'itemFailed': {
        if (this.options.settled !== true) {
          subscriber.error(event.error);
          return;
        }
        // Failures carry no identity; a cumulative answer lists them in a stable order, so the
        // n-th one (pushed earlier or polled) is the same failure every time.
        const position = event.position ?? this.pushedFailures++;
        if (this.failedPositions?.has(position) === true) return;
        (this.failedPositions ??= new Set()).add(position);
        this.settle({ type: 'failed', taskUUID, index: this.settledItems, error: event.error });
      }
    }
  }

  error(error: unknown): void {
    this.subscriber.error(error);
  }

  complete(): void {
    this.subscriber.complete();
  }

  unsubscribe(): void {
    this.input?.unsubscribe();
  }

  private isNew(key: string | undefined): boolean {
    // A task of one result completes with it: nothing later can be a duplicate to remember.
    if (key === undefined || this.options.expected === 1) return true;
    if (this.seen?.has(key) === true) return false;
    (this.seen ??= new Set()).add(key);
    return true;
  }

  private settle(event: TaskEvent<TResult>): void {
    this.settledItems += 1;
    this.subscriber.next(event);
    if (this.settledItems >= this.options.expected) this.subscriber.complete();
  }
}
