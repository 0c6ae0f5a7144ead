import { Subscriber } from 'rxjs';
import { forTask } from '../errors/for-task.js';
import { ValidationError } from '../errors/validation-error.js';
import type { AbortError, RequestRegistry, RunningRequest } from './request-registry.js';

/**
 * The subscriber a request under a caller-chosen taskUUID runs for: it gives the taskUUID back
 * (`release`) before its end is told downstream. RxJS tells an observer that a stream ended
 * before it runs the stream's teardown, so a claim given back only there would still hold while
 * the observer's `complete` or `error` runs, and a request made again from there (a resubmission
 * under the same taskUUID) would be refused as if the first were still running. Unsubscribing
 * gives it back too (the request's teardown), and giving it back twice is harmless.
 */
export class ClaimHolder<T> extends Subscriber<T> {
  constructor(
    private readonly downstream: Subscriber<T>,
    private readonly requests: RequestRegistry,
    private readonly taskUUID: string,
  ) {
    super();
  }

  /** Gives the taskUUID back. */
  release(): void {
    this.requests.release(this.taskUUID);
  }

  /**
   * The request started for this holder, as its caller ends it: its teardown gives the taskUUID
   * back, its abort is the request's.
   *
   * @param running The request started with this holder as its subscriber.
   * @returns The request's teardown and its abort.
   */
  holding(running: RunningRequest): RunningRequest {
    return new ClaimedRequest(this, running);
  }

  protected override _next(value: T): void {
    this.downstream.next(value);
  }

  protected override _error(error: unknown): void {
    try {
      this.release();
      this.downstream.error(error);
    } finally {
      this.unsubscribe();
    }
  }

  protected override _complete(): void {
    try {
      this.release();
      this.downstream.complete();
    } finally {
      this.unsubscribe();
    }
  }
}

/** A request under a claimed taskUUID, as its caller ends it: an object with its methods on a prototype, as the engine's run is. */
class ClaimedRequest implements RunningRequest {
  constructor(
    private readonly holder: ClaimHolder<unknown>,
    private readonly running: RunningRequest,
  ) {}

  unsubscribe(): void {
    this.holder.unsubscribe();
    this.running.unsubscribe();
    this.holder.release();
  }

  abort(error: AbortError): void {
    this.running.abort(error);
  }
}

/**
 * Claims a taskUUID its caller chose for a request, for the request's life (retries and re-runs
 * included): a second request of the client under it while this one runs is refused before
 * anything is sent, since answers are routed by taskUUID. The request is then started with the
 * holder as its subscriber, and given to {@link ClaimHolder.holding}.
 *
 * @param requests The client's registry, which holds the claims.
 * @param taskUUID The taskUUID chosen.
 * @param taskType The task's type, for the refusal.
 * @param subscriber Who receives the request's events.
 * @returns The subscriber to start the request for, or nothing when it was refused (told to `subscriber`).
 */
export function claimFor<T>(requests: RequestRegistry, taskUUID: string, taskType: string, subscriber: Subscriber<T>): ClaimHolder<T> | undefined {
  if (!requests.claim(taskUUID)) {
    subscriber.error(forTask(new ValidationError(`${taskType} request`, [{ path: 'taskUUID', message: inUseMessage(taskUUID) }], taskType), { taskUUID, taskType, sent: false }));
    return undefined;
  }
  return new ClaimHolder(subscriber, requests, taskUUID);
}

/** Why a taskUUID the caller chose is refused while a request of the client runs under it. */
const inUseMessage = (taskUUID: string): string =>
  `taskUUID ${taskUUID} is the taskUUID of a request of this client still running: answers are routed by taskUUID, so the two would read each other's results (attach watches that task instead)`;
