/*
 * Configuration: the client's options, and a connection opened and closed explicitly.
 *
 *   npm run example -- configuration
 *
 * Runs against an embedded simulator unless RUNWARE_API_KEY (or RUNWARE_URL) is set.
 *
 * The Python guide's options are all here under the same names: `timeout`, `maxRetries` and
 * `retryDelay`, in milliseconds. Its `url` is this client's `url` too.
 */
import { lastValueFrom, tap } from 'rxjs';
import { createRunware, isRunwareError } from 'runware-rx';
import { startTarget } from './support/target.js';

const { apiKey, url, line, stop } = await startTarget();
console.log(line);

const runware = createRunware({
  // Left out, `apiKey` is read from RUNWARE_API_KEY and `url` from RUNWARE_URL (else the API's).
  // Here they come from startTarget: the embedded simulator's, or the environment's.
  apiKey,
  url,
  // Every task's whole deadline; a request can set its own (below).
  timeout: 120_000,
  // Failures before the server took a task (a lost connection, a rate limit, a 5xx at the door)
  // are sent again under the same taskUUID, up to 3 times, waiting 500 ms, then 1 s, then 2 s.
  maxRetries: 3,
  retryDelay: 500,
});

const states = runware.state$.subscribe((state) => console.log(`connection: ${state.type}`));

try {
  // Optional (the first request connects), but it makes a wrong key fail here, at start-up.
  await runware.connect();

  const request$ = runware.imageInference$(
    { model: 'runware:101@1', positivePrompt: 'A lighthouse on a cliff at dawn', width: 512, height: 512 },
    { timeout: 60_000 },
  );
  const last = await lastValueFrom(
    request$.pipe(
      tap((event) => {
        if (event.type === 'retrying') console.log(`retrying ${event.taskUUID} (attempt ${event.attempt}, in ${event.delay} ms): ${event.error.code}`);
      }),
    ),
  );
  if (last.type === 'result') console.log(`image: ${last.item.imageURL}`);
} catch (error) {
  console.error(isRunwareError(error) ? `failed (${error.code}): ${error.message}` : error);
  process.exitCode = 1;
} finally {
  // Closes the socket and ends anything still running, so that the process can exit.
  await runware.disconnect();
  states.unsubscribe();
  await stop();
}
