/**
 * runware-rx through its public API only (`runware-rx` resolves to `src/index.ts` via the tsconfig
 * path mapping), in its two styles: `await runware.imageInference(...)` and
 * `lastValueFrom(runware.imageInference$(...).pipe(toArray()))`, keeping the result items.
 */
import { filter, lastValueFrom, map, toArray } from 'rxjs';
import type { Observable } from 'rxjs';
import type { TaskEvent } from 'runware-rx';
import { createRunware } from 'runware-rx';
import type { BenchClient, ClientFactory } from './types.js';
import { IMAGE_PARAMS, VIDEO_PARAMS } from './types.js';

/* Every option is left at its default, as a user would construct the client. */

export const createRxPromiseClient: ClientFactory = ({ url, apiKey }): BenchClient => {
  const runware = createRunware({ url, apiKey });
  return {
    connect: () => runware.connect(),
    image: () => runware.imageInference({ ...IMAGE_PARAMS }),
    video: () => runware.videoInference({ ...VIDEO_PARAMS }),
    close: () => runware.disconnect(),
  };
};

/** The result items of a request stream, collected as a user of the Observable API would. */
const results = <R>(events$: Observable<TaskEvent<R>>): Promise<R[]> =>
  lastValueFrom(
    events$.pipe(
      filter((event) => event.type === 'result'),
      map((event) => (event as Extract<TaskEvent<R>, { type: 'result' }>).item),
      toArray(),
    ),
  );

export const createRxObservableClient: ClientFactory = ({ url, apiKey }): BenchClient => {
  const runware = createRunware({ url, apiKey });
  return {
    connect: () => runware.connect(),
    image: () => results(runware.imageInference$({ ...IMAGE_PARAMS })),
    video: () => results(runware.videoInference$({ ...VIDEO_PARAMS })),
    close: () => runware.disconnect(),
  };
};
