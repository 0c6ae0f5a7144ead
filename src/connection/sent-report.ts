import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import { neverSent } from '../transport/fetch-failure.js';

/**
 * How long a streamed submission's fetch may go without an answer or a failure before its request
 * is taken as sent. fetch does not say when its request went out, only, by failing so, that it
 * never did (the connection refused, the name not found), which comes within a round trip or a
 * name lookup. The engine times the server's answer from the moment it is told of the send, so the
 * request cannot wait for its answer to be told: a server that sits on it would never be timed.
 * A refusal slower than this is reported as sent, the safe side (`sent` says "may be billed").
 */
export const PRESUMED_SENT_MS = 1000;

/** When one POST tells its task that it was sent. */
export interface SentReport {
  /** The server answered (a stream, a reply): the request arrived. */
  answered(): void;
  /** The POST failed: sent, unless the failure proves the request never left. */
  failed(cause: unknown): void;
  /** The POST was stopped: nothing more is told. */
  stop(): void;
}

/**
 * Tells `sent` once for one POST, at the first of: the server answers, the fetch fails in a way
 * that does not prove it never left, PRESUMED_SENT_MS pass. A submission so reported is what the
 * engine announces as `submitted` and what makes its errors `sent: true`; a fetch refused before a
 * connection opened sent nothing, and its retry (the same taskUUID) is a first send. A poll is told
 * at once (`presume: false`): its send starts its deadline, and a poll bills nothing.
 *
 * @param sent Tells the task (the route listener's `sent`).
 * @param presume Whether the send is presumed after a while rather than told at once.
 * @returns The report.
 */
export function sentReport(sent: () => void, presume: boolean): SentReport {
  let told = false;
  let presuming: Subscription | undefined;
  const stop = (): void => {
    presuming?.unsubscribe();
    presuming = undefined;
  };
  const tell = (): void => {
    stop();
    if (told) return;
    told = true;
    sent();
  };
  if (presume) presuming = asyncScheduler.schedule(tell, PRESUMED_SENT_MS);
  else tell();
  return {
    answered: tell,
    failed: (cause) => {
      // Nothing left (no connection was ever made): the task is not the server's.
      if (neverSent(cause)) stop();
      else tell();
    },
    stop,
  };
}
