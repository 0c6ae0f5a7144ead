import { Subscriber } from 'rxjs';
import { forTask } from '../errors/for-task.js';
import { ValidationError } from '../errors/validation-error.js';
import type { RequestRegistry, RunningRequest } from './request-registry.js';

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
    private readonly release: () => void,
  ) {
    super();
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

/**
 * Starts a request under a taskUUID its caller chose, holding that taskUUID for the request's
 * life (retries and re-runs included): a second request of the client under it while this one
 * runs is refused before anything is sent, since answers are routed by taskUUID.
 *
 * @param requests The client's registry, which holds the claims.
 * @param taskUUID The taskUUID chosen.
 * @param taskType The task's type, for the refusal.
 * @param subscriber Who receives the request's events.
 * @param start Starts the request for the subscriber it is given.
 * @returns The request's teardown and its abort, or nothing when it was refused.
 */
export function startClaimed<T>(requests: RequestRegistry, taskUUID: string, taskType: string, subscriber: Subscriber<T>, start: (holder: Subscriber<T>) => RunningRequest): RunningRequest | undefined {
  if (!requests.claim(taskUUID)) {
    subscriber.error(forTask(new ValidationError(`${taskType} request`, [{ path: 'taskUUID', message: inUseMessage(taskUUID) }], taskType), { taskUUID, taskType, sent: false }));
    return undefined;
  }
  const release = (): void => requests.release(taskUUID);
  const holder = new ClaimHolder(subscriber, release);
  const running = start(holder);
  return {
    unsubscribe: () => {
      holder.unsubscribe();
      running.unsubscribe();
      release();
    },
    abort: (error) => running.abort(error),
  };
}

/** Why a taskUUID the caller chose is refused while a request of the client runs under it. */
const inUseMessage = (taskUUID: string): string =>
  `taskUUID ${taskUUID} is the taskUUID of a request of this client still running: answers are routed by taskUUID, so the two would read each other's results (attach watches that task instead)`;
