import type { Observable } from 'rxjs';
import { Subscriber } from 'rxjs';
import { RunwareError } from '../errors/runware-error.js';
import { ValidationError } from '../errors/validation-error.js';
import type { TaskEvent } from '../events/task-event.js';
import type { RunningRequest } from '../request/request-registry.js';

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
 * every item's outcome (`settled`). An `AbortSignal` ends the request (stopping timers and polls)
 * and rejects with an `aborted` error naming the task and saying whether it was sent: a request
 * started here is ended by the engine, as `disconnect()` ends it, which takes a submission
 * written that nothing confirmed as sent; an Observable given is unsubscribed.
 *
 * @param events$ The request's events, or what starts the request for a subscriber (which spares
 *   the Promise methods an Observable per request) and gives back its teardown and its abort.
 * @param options `signal`, `settled`, the taskUUID the request runs under, if known, and `sent`
 *   when that task was submitted before the request began (`attach`, `getResponse`). The
 *   taskUUID may be given as how to read it, when reading it runs the caller's code (a getter of
 *   the parameters): it is read only for a request that never starts (a signal aborted already),
 *   since one that starts reads its parameters itself and names its own task when aborted.
 * @returns The result items, or their outcomes.
 */
export function toPromise<R, T>(
  events$: Observable<TaskEvent<R, unknown>> | ((subscriber: Subscriber<TaskEvent<R, unknown>>) => RunningRequest | undefined),
  options: { readonly signal?: unknown; readonly settled?: unknown; readonly taskUUID?: string | (() => string | undefined) | undefined; readonly sent?: boolean | undefined } | undefined,
): Promise<T[]> {
  return new Promise<T[]>((resolve, reject) => {
    const signal = options?.signal;
    if (signal !== undefined && !isAbortSignal(signal)) {
      reject(new ValidationError('request options', [{ path: 'signal', message: 'signal must be an AbortSignal' }]));
      return;
    }
    const taskUUID = options?.taskUUID;
    if (signal?.aborted === true) {
      reject(abortedError(signal.reason, typeof taskUUID === 'function' ? taskUUID() : taskUUID, options?.sent === true));
      return;
    }
    const collector = new ItemCollector<R, T>(resolve, reject, signal, options?.settled === true, typeof taskUUID === 'function' ? undefined : taskUUID, options?.sent === true);
    if (typeof events$ !== 'function') events$.subscribe(collector);
    else {
      // What subscribing does, without an Observable around it: the start's teardown joins the
      // collector's, and whatever the start throws ends the request.
      try {
        collector.running = events$(collector);
        collector.add(collector.running);
      } catch (error) {
        collector.error(error);
      }
    }
    collector.watch();
  });
}

function isAbortSignal(value: unknown): value is AbortSignal {
  const candidate = value as Partial<AbortSignal> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.aborted === 'boolean' && typeof candidate.addEventListener === 'function';
}

/**
 * The observer behind a request promise: one object per request with its methods on a
 * prototype (the promise path of ten thousand requests in flight pays for nothing else), and
 * the abort listener only when a signal is given. It is an RxJS `Subscriber` itself, so
 * subscribing wraps it in nothing (a plain observer would cost a safe subscriber and a
 * consumer observer per request, and a call through each for every event).
 */
class ItemCollector<R, T> extends Subscriber<TaskEvent<R, unknown>> {
  private readonly items: unknown[] = [];
  private cost: number | undefined;
  private settled = false;
  /** The request started for this collector, which an abort ends (an Observable's has none). */
  running: RunningRequest | undefined = undefined;

  constructor(
    private readonly resolve: (items: T[]) => void,
    private readonly reject: (reason: unknown) => void,
    private readonly signal: AbortSignal | undefined,
    /** Whether items are kept as outcomes (`settled` requests) or as bare results. */
    private readonly outcomes: boolean,
    private taskUUID: string | undefined,
    /** Whether the task was sent: from its `submitted` event, or from the start for a task attached to. */
    private sent: boolean,
  ) {
    super();
  }

  /**
   * Listens for an abort, once subscribed (a request that ended at once needs none). The start
   * runs the caller's code (a parameter's getter, a media reader), which may have aborted the
   * signal already: no event comes for that abort, so it is handled now.
   */
  watch(): void {
    if (this.settled || this.signal === undefined) return;
    if (this.signal.aborted) this.handleEvent();
    else this.signal.addEventListener('abort', this, { once: true });
  }

  /** The abort signal fired (this object is its event listener). */
  handleEvent(): void {
    if (this.settled) return;
    const reason: unknown = this.signal?.reason;
    // The engine ends its request (its error comes to `_error`): whether the task was sent is
    // known only as it gives up on it, since a request written that nothing confirmed is taken as
    // sent then, as any other end takes it.
    this.running?.abort((task) => abortedError(reason, task.taskUUID, task.sent));
    if (this.settled) return;
    this.settled = true;
    this.unsubscribe();
    this.reject(abortedError(reason, this.taskUUID, this.sent));
  }

  protected override _next(event: TaskEvent<R, unknown>): void {
    if (event.type === 'result') {
      this.items[event.index] = this.outcomes ? { status: 'fulfilled', index: event.index, value: event.item } : event.item;
      if (event.cost !== undefined) this.cost = event.cost;
    } else if (event.type === 'failed') {
      this.items[event.index] = { status: 'rejected', index: event.index, reason: event.error };
    } else if (event.type === 'submitted') {
      this.sent = true;
      this.taskUUID = event.taskUUID;
    }
    // A re-run's new task is named once it is sent: until then an abort concerns the task that
    // was, which the server has and may bill.
  }

  protected override _error(error: unknown): void {
    // The request's teardown runs first, as it would for any subscriber that ends.
    this.unsubscribe();
    if (this.finish()) this.reject(error);
  }

  protected override _complete(): void {
    this.unsubscribe();
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
