/**
 * runware-rx through its public API only (`runware-rx` resolves to `src/index.ts` via the tsconfig
 * path mapping), in its two styles: `await runware.imageInference(...)` and
 * `runware.imageInference$(...).subscribe(...)`, keeping the result items.
 */
import type { Observable } from 'rxjs';
import type { TaskEvent } from 'runware-rx';
import { createRunware } from 'runware-rx';
import type { BenchClient, ClientFactory, VideoRequest } from './types.js';
import { IMAGE_PARAMS, TEXT_PARAMS, VIDEO_PARAMS } from './types.js';

/* Every option is left at its default, as a user would construct the client. */

export const createRxPromiseClient: ClientFactory = ({ url, apiKey }): BenchClient => {
  const runware = createRunware({ url, apiKey });
  return {
    connect: () => runware.connect(),
    image: () => runware.imageInference({ ...IMAGE_PARAMS }),
    video: (request) => (request === undefined ? runware.videoInference({ ...VIDEO_PARAMS }) : runware.videoInference(...videoOf(request))),
    // The Promise resolves with the whole answer only: it reports no pieces.
    text: async () => (await runware.textInference({ ...TEXT_PARAMS, messages: [...TEXT_PARAMS.messages], deliveryMethod: 'stream' }))[0]!.text,
    close: () => runware.disconnect(),
  };
};

/** The parameters and options of a chosen video: its model and duration, its taskUUID as a request option. */
const videoOf = ({ model, duration, taskUUID }: VideoRequest) => [{ ...VIDEO_PARAMS, model, duration }, { taskUUID }] as const;

/**
 * The result items of a request stream, taken as a UI takes them: one subscriber that handles
 * each event (no operator chain of the caller's own, whose cost would be RxJS's, not the SDK's).
 */
const results = <R>(events$: Observable<TaskEvent<R>>): Promise<R[]> =>
  new Promise((resolve, reject) => {
    const items: R[] = [];
    events$.subscribe({
      next: (event) => {
        if (event.type === 'result') items.push(event.item);
      },
      error: reject,
      complete: () => resolve(items),
    });
  });

export const createRxObservableClient: ClientFactory = ({ url, apiKey }): BenchClient => {
  const runware = createRunware({ url, apiKey });
  return {
    connect: () => runware.connect(),
    image: () => results(runware.imageInference$({ ...IMAGE_PARAMS })),
    video: (request) => results(request === undefined ? runware.videoInference$({ ...VIDEO_PARAMS }) : runware.videoInference$(...videoOf(request))),
    text: (onPiece) =>
      new Promise((resolve, reject) => {
        runware.textInference$({ ...TEXT_PARAMS, messages: [...TEXT_PARAMS.messages], deliveryMethod: 'stream' }).subscribe({
          next: (event) => {
            if (event.type === 'partial') onPiece();
            else if (event.type === 'result') resolve(event.item.text);
          },
          error: reject,
        });
      }),
    close: () => runware.disconnect(),
  };
};
