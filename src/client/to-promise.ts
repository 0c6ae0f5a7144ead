import type { Observable, Subscription } from 'rxjs';
import { RunwareError } from '../errors/runware-error.js';
import { ValidationError } from '../errors/validation-error.js';
import type { TaskEvent } from '../events/task-event.js';

/** One item of a `settled` request: its result, or why it failed. */
export type SettledResult<R> =
  | { readonly status: 'fulfilled'; readonly index: number; readonly value: R }
  | { readonly status: 'rejected'; readonly index: number; readonly reason: RunwareError };

/**
 * What a request resolves with: its result items, in order, and what they cost in all (USD)
 * when they came with a `cost` (`includeCost: true`).
 */
export type Results<R> = R[] & { readonly cost?: number };

/** What a `settled` request resolves with: every item's outcome, and the cost of the results. */
export type SettledResults<R> = SettledResult<R>[] & { readonly cost?: number };

/**
 * Runs a request stream to its end and resolves with its result items in index order, or with
 * every item's outcome (`settled`). An `AbortSignal` unsubscribes (stopping timers and polls) and
 * rejects with an `aborted` error naming the task.
 *
 * @param events$ The request's events.
 * @param options `signal`, `settled`, and the taskUUID the request runs under, if known.
 * @returns The result items, or their outcomes.
 */
export function toPromise<R, T>(
  events$: Observable<TaskEvent<R, unknown>>,
  options: { readonly signal?: unknown; readonly settled?: unknown; readonly taskUUID?: string | undefined } | undefined,
): Promise<T[]> {
  return new Promise<T[]>((resolve, reject) => {
    const signal = options?.signal;
    if (signal !== undefined && !isAbortSignal(signal)) {
      reject(new ValidationError('request options', [{ path: 'signal', message: 'signal must be an AbortSignal' }]));
      return;
    }
    if (signal?.aborted === true) {
      reject(abortedError(signal.reason, options?.taskUUID, false));
      return;
    }
    const collector = new ItemCollector<R, T>(resolve, reject, signal, options?.settled === true, options?.taskUUID);
    const subscription = events$.subscribe(collector);
    collector.watch(subscription);
  });
}

function isAbortSignal(value: unknown): value is AbortSignal {
  const candidate = value as Partial<AbortSignal> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.aborted === 'boolean' && typeof candidate.addEventListener === 'function';
}

/**
 * The observer behind a request promise: one object per request with its methods on a
 * prototype (the promise path of ten thousand requests in flight pays for nothing else), and
 * the abort listener only when a signal is given.
 */
class ItemCollector<R, T> {
  private readonly items: unknown[] = [];
  private cost: number | undefined;
  private settled = false;
  private sent = false;
  private subscription: Subscription | undefined;

  constructor(
    private readonly resolve: (items: T[]) => void,
    private readonly reject: (reason: unknown) => void,
    private readonly signal: AbortSignal | undefined,
    /** Whether items are kept as outcomes (`settled` requests) or as bare results. */
    private readonly outcomes: boolean,
    private taskUUID: string | undefined,
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
    this.reject(abortedError(this.signal?.reason, this.taskUUID, this.sent));
  }

  next(event: TaskEvent<R, unknown>): void {
    if (event.type === 'result') {
      this.items[event.index] = this.outcomes ? { status: 'fulfilled', index: event.index, value: event.item } : event.item;
      if (event.cost !== undefined) this.cost = event.cost;
    } else if (event.type === 'failed') {
      this.items[event.index] = { status: 'rejected', index: event.index, reason: event.error };
    } else if (event.type === 'submitted') {
      this.sent = true;
      this.taskUUID = event.taskUUID;
    } else if (event.type === 'retrying' && event.newTask === true) {
      this.sent = false;
      this.taskUUID = event.taskUUID;
    }
  }

  error(error: unknown): void {
    if (this.finish()) this.reject(error);
  }

  complete(): void {
    if (!this.finish()) return;
    if (this.cost !== undefined) Object.defineProperty(this.items, 'cost', { value: this.cost, enumerable: false });
    this.resolve(this.items as T[]);
  }

  private finish(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.signal?.removeEventListener('abort', this);
    return true;
  }
}

function abortedError(reason: unknown, taskUUID: string | undefined, sent: boolean): RunwareError {
  return new RunwareError({
    code: 'aborted',
    message: sent
      ? 'The request was aborted; the server may still complete (and bill) the task, which was sent.'
      : 'The request was aborted before the task was sent; nothing was billed.',
    retryable: false,
    taskUUID,
    sent,
    cause: reason,
  });
}
