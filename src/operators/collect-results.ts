import type { OperatorFunction, Subscriber, Subscription } from 'rxjs';
import { Observable } from 'rxjs';
import type { RunwareError } from '../errors/runware-error.js';
import type { AttemptEvent, TaskEvent } from '../events/task-event.js';
import type { DataItem } from '../protocol/frames.js';
import { SeenItems } from './seen-items.js';

/** How results of one task are counted. */
export interface CollectResultsOptions {
  /** The task the events belong to. */
  readonly taskUUID: string;
  /** Its type, for the `submitted` event. */
  readonly taskType: string;
  /** How many result items end the task (`numberResults`). */
  readonly expected: number;
  /**
   * A stable identity of an item (its output UUID); items seen before are dropped. Omit it for
   * results without one (text): those are recognised by what they say, and results that say the
   * same are all kept, told apart by how many of them came before.
   */
  readonly keyOf?: ((item: DataItem) => string | undefined) | undefined;
  /**
   * `false` (default): the first failed item fails the task. `true`: failed items are reported
   * as `failed` events beside the successful ones and the task completes once every item settled.
   */
  readonly settled?: boolean | undefined;
}

/**
 * Turns attempt events into task events: numbers result items in arrival order, drops items
 * already delivered (a replay after a reconnect, a poll repeating earlier successes, a retry),
 * reports `submitted` and `accepted` once per task however often they recur, and completes right
 * after the last expected item. State lives in the subscription, so each subscriber counts afresh.
 *
 * @param options The task, the expected count and the failure policy.
 * @returns An operator from attempt events to task events.
 *
 * @example
 * ```ts
 * attempts$.pipe(collectResults({ taskUUID, taskType: 'imageInference', expected: 2, keyOf: (item) => item.imageUUID as string }));
 * ```
 */
export function collectResults<TResult = DataItem>(options: CollectResultsOptions): OperatorFunction<AttemptEvent, TaskEvent<TResult>> {
  return (attempts$) =>
    new Observable<TaskEvent<TResult>>((subscriber) => {
      const collector = new Collector<TResult>(subscriber, options);
      collector.input = attempts$.subscribe(collector);
      return collector;
    });
}

/** Who handles an item that failed, in place of ending the stream (runware-rx's engine retries). */
export interface ItemFailureSink {
  itemFailed(error: RunwareError): void;
}

/**
 * One task's count, the one place where results are numbered and de-duplicated: the observer
 * of the attempts and its own teardown. Every request carries one, so it is a small object with
 * its methods on a prototype, and what it has seen (`SeenItems`) exists only once something
 * could be a duplicate. runware-rx's request engine feeds it directly and handles a failed item
 * itself (`failureSink`), since a failure may be retried.
 */
export class Collector<TResult, TPartial = never> {
  input: Subscription | undefined;
  private taskUUID: string;
  /** What was delivered, made once something could be a duplicate. */
  private seen: SeenItems | undefined;
  private settledItems = 0;
  private cost: number | undefined;
  private submitted = false;
  private accepted = false;

  constructor(
    private readonly subscriber: Subscriber<TaskEvent<TResult, TPartial>>,
    private readonly options: CollectResultsOptions,
    /**
     * Where a failed item goes when the task is not settled item by item (an object, so that
     * the engine passes itself rather than a closure per request); by default it ends the stream.
     */
    private readonly failureSink?: ItemFailureSink,
  ) {
    this.taskUUID = options.taskUUID;
  }

  /**
   * Marks the start of another reply's events, for runware-rx's engine. A pushed failure word for
   * word like one of an earlier reply is taken for that reply's frame arriving again; within one
   * reply, identical failures are distinct items (a frame does not repeat its own items).
   */
  beginReply(): void {
    this.seen?.beginReply();
  }

  /** How many items (results and, settled, failures) were delivered. */
  get delivered(): number {
    return this.settledItems;
  }

  next(event: AttemptEvent): void {
    const { subscriber, taskUUID } = this;
    switch (event.type) {
      case 'submitted':
        if (!this.submitted) subscriber.next({ type: 'submitted', taskUUID, taskType: this.options.taskType });
        this.submitted = true;
        return;
      case 'accepted':
        if (!this.accepted) subscriber.next({ type: 'accepted', taskUUID });
        this.accepted = true;
        return;
      case 'status':
        subscriber.next({ ...event, taskUUID });
        return;
      case 'partial':
        subscriber.next({ type: 'partial', taskUUID, item: event.item as TPartial });
        return;
      case 'retrying':
        this.retrying(event);
        return;
      case 'item': {
        let key: string | undefined;
        try {
          key = this.options.keyOf?.(event.item);
        } catch (thrown) {
          // The caller's `keyOf` is broken: the stream ends with what it threw. In runware-rx's
          // engine the reply is then unreadable: thrown back to the router, which fails the task
          // with a typed error and logs it, as it does when the result reader itself throws.
          if (this.failureSink !== undefined) throw thrown;
          subscriber.error(thrown);
          return;
        }
        if (this.isNew(event.item, key, event.position)) {
          const { cost } = event.item;
          // Rounded to far below a cent's fraction, so that 0.1 + 0.2 reads 0.3.
          if (typeof cost === 'number') this.cost = Math.round(((this.cost ?? 0) + cost) * 1e10) / 1e10;
          const index = this.settledItems;
          this.settle(
            this.cost === undefined
              ? { type: 'result', taskUUID, index, item: event.item as TResult }
              : { type: 'result', taskUUID, index, item: event.item as TResult, cost: this.cost },
          );
        }
        return;
      }
      case 'itemFailed':
        this.failed(event.error, event.position);
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

  private retrying(event: Extract<AttemptEvent, { type: 'retrying' }>): void {
    const { attempt, delay, error } = event;
    if (event.newTask === true && event.taskUUID !== undefined) {
      // A new task: its own submission and acknowledgement, and counts of its own. Results
      // already delivered stay delivered, and output UUIDs never repeat across tasks.
      this.taskUUID = event.taskUUID;
      this.submitted = this.accepted = false;
      this.seen?.newTask();
      this.subscriber.next({ type: 'retrying', taskUUID: event.taskUUID, attempt, delay, error, newTask: true });
      return;
    }
    this.subscriber.next({ type: 'retrying', taskUUID: this.taskUUID, attempt, delay, error });
  }

  private failed(error: RunwareError, position: number | undefined): void {
    if (!(this.seen ??= new SeenItems()).failure(error, position)) return;
    if (this.options.settled !== true) {
      // Not settled item by item: the failure ends the stream, or goes to the engine, which may
      // wait for the task's other items and then make the failed ones again.
      if (this.failureSink === undefined) this.subscriber.error(error);
      else this.failureSink.itemFailed(error);
      return;
    }
    this.settle({ type: 'failed', taskUUID: this.taskUUID, index: this.settledItems, error });
  }

  private isNew(item: DataItem, key: string | undefined, position: number | undefined): boolean {
    // A task of one result completes with its keyed result: nothing later can be a duplicate to
    // remember, and nothing is kept (most requests of a busy client are of this kind).
    if (key !== undefined && this.options.expected === 1) return true;
    return (this.seen ??= new SeenItems()).result(item, key, position);
  }

  private settle(event: TaskEvent<TResult, TPartial>): void {
    this.settledItems += 1;
    this.subscriber.next(event);
    if (this.settledItems >= this.options.expected) this.subscriber.complete();
  }
}
