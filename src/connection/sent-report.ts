import { neverSent } from '../transport/fetch-failure.js';

/** When one POST of a submission tells its task that the request may have reached the server. */
export interface SentReport {
  /** The server answered (a stream, a reply): the request arrived. */
  answered(): void;
  /** The POST failed: sent, unless the failure proves the request never left. */
  failed(cause: unknown): void;
}

/**
 * Tells `sent` once for one POST of a submission, at the first of: the server answers, the fetch
 * fails in a way that does not prove it never left. fetch does not say when its request went out,
 * only, by failing so, that it never did (the connection refused, the name not found); a fetch so
 * refused sent nothing, and its retry (the same taskUUID) is a first send. A submission so
 * reported is what the engine announces as `submitted` and what makes its errors `sent: true`.
 * Nothing here waits: the engine times the answer from the write (the route listener's
 * `written`), and a request it gives up on while nothing was told either way is taken as sent by
 * the engine itself, the safe side (`sent` says "may be billed").
 *
 * @param sent Tells the task (the route listener's `sent`).
 * @returns The report.
 */
export function sentReport(sent: () => void): SentReport {
  let told = false;
  const tell = (): void => {
    if (told) return;
    told = true;
    sent();
  };
  return {
    answered: tell,
    // Nothing left (no connection was ever made): the task is not the server's.
    failed: (cause) => {
      if (!neverSent(cause)) tell();
    },
  };
}
