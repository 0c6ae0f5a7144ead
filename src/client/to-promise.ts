import type { Observable, Subscription } from 'rxjs';
import { RunwareError } from '../errors/runware-error.js';
import type { TaskEvent } from '../request/task-event.js';

/** One item of a `settled` request: its result, or why it failed. */
export type SettledResult<R> =
  | { readonly status: 'fulfilled'; readonly index: number; readonly value: R }
  | { readonly status: 'rejected'; readonly index: number; readonly reason: RunwareError };

/**
 * Runs a request stream to its end and resolves with its result items in index order. An
 * `AbortSignal` unsubscribes (stopping timers and polls) and rejects with an `aborted` error.
 *
 * @param events$ The request's events.
 * @param signal Cancels the wait when it fires.
 * @returns The result items.
 */
export function toResults<R>(events$: Observable<TaskEvent<R>>, signal: AbortSignal | undefined): Promise<R[]> {
  return collect<R, R>(events$, signal, false);
}

/**
 * Like {@link toResults}, for `settled` requests: resolves with every item's outcome.
 *
 * @param events$ The request's events.
 * @param signal Cancels the wait when it fires.
 * @returns Every item as a {@link SettledResult}, in index order.
 */
export function toSettled<R>(events$: Observable<TaskEvent<R>>, signal: AbortSignal | undefined): Promise<SettledResult<R>[]> {
  return collect<R, SettledResult<R>>(events$, signal, true);
}

function collect<R, T>(events$: Observable<TaskEvent<R>>, signal: AbortSignal | undefined, settled: boolean): Promise<T[]> {
  return new Promise<T[]>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(abortedError(signal.reason));
      return;
    }
    const collector = new ItemCollector<R, T>(resolve, reject, signal, settled);
    const subscription = events$.subscribe(collector);
    collector.watch(subscription);
  });
}

/**
 * The observer behind a request promise: one object per request with its methods on a
 * prototype (the promise path of ten thousand requests in flight pays for nothing else), and
 * the abort listener only when a signal is given.
 */
class ItemCollector<R, T> {
  private readonly items: unknown[] = [];
  private settled = false;
  private subscription: Subscription | undefined;

  constructor(
    private readonly resolve: (items: T[]) => void,
    private readonly reject: (reason: unknown) => void,
    private readonly signal: AbortSignal | undefined,
    /** Whether items are kept as outcomes (`settled` requests) or as bare results. */
    private readonly outcomes: boolean,
  ) {}

  /** Keeps the subscription for an abort, once `subscribe` returned it. */
  watch(subscription: Subscription): void {
    if (this.settled || this.signal === undefined) return;
    this.subscription = subscription;
    this.signal.addEventListener('abort', this, { once: true });
  }

  /** The abort signal fired (this object is its event listener). */
  handleEvent(): void {
    if (this.settled) return;
    this.settled = true;
    this.subscription?.unsubscribe();
    this.reject(abortedError(this.signal?.reason));
  }

  next(event: TaskEvent<R>): void {
    if (event.type === 'result') {
      this.items[event.index] = this.outcomes ? { status: 'fulfilled', index: event.index, value: event.item } : event.item;
    } else if (event.type === 'failed') {
      this.items[event.index] = { status: 'rejected', index: event.index, reason: event.error };
    }
  }

  error(error: unknown): void {
    if (this.finish()) this.reject(error);
  }

  complete(): void {
    if (this.finish()) this.resolve(this.items as T[]);
  }

  private finish(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.signal?.removeEventListener('abort', this);
    return true;
  }
}

function abortedError(reason: unknown): RunwareError {
  return new RunwareError({
    code: 'aborted',
    message: 'The request was aborted; the server may still complete (and bill) a task already sent.',
    retryable: false,
    cause: reason,
  });
}
