import { Subscriber } from 'rxjs';

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
