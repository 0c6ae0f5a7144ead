/*
 * Several operations at once over one connection: an image is generated while a local photo is
 * upscaled 4× and cut out of its background, first with Promise.all, then with RxJS forkJoin.
 *
 *   npm run example -- concurrent [photo.jpg]
 *
 * Runs against an embedded simulator unless RUNWARE_API_KEY (or RUNWARE_URL) is set. Without
 * an argument it uses examples/assets/photo.jpg. The three tasks share one WebSocket: they go
 * out in one frame and their results come back as each is ready.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Observable } from 'rxjs';
import { filter, firstValueFrom, forkJoin, map, toArray } from 'rxjs';
import type { TaskEvent } from 'runware-rx';
import { createRunware, isRunwareError } from 'runware-rx';
import { fromFile } from 'runware-rx/node';
import { startTarget } from './support/target.js';

const photo = resolve(process.argv[2] ?? fileURLToPath(new URL('./assets/photo.jpg', import.meta.url)));
const { apiKey, url, line, stop } = await startTarget();
console.log(line);
const runware = createRunware({ apiKey, url });

const generate = { model: 'runware:101@1', positivePrompt: 'a lighthouse on a cliff at dusk', width: 512, height: 512 };

/** A request's result items, as one array once it completes: what forkJoin waits for. */
const items = <R>(events$: Observable<TaskEvent<R>>): Observable<R[]> =>
  events$.pipe(
    filter((event) => event.type === 'result'),
    map((event) => event.item),
    toArray(),
  );

try {
  // Promises: the three requests run at once; Promise.all waits for all of them.
  const [images, upscaled, cutOut] = await Promise.all([
    runware.imageInference(generate),
    runware.imageUpscale({ inputImage: fromFile(photo), upscaleFactor: 4 }),
    runware.imageBackgroundRemoval({ inputImage: fromFile(photo), outputFormat: 'PNG' }),
  ]);
  console.log(`Promise.all generated: ${images[0]?.imageURL}`);
  console.log(`Promise.all upscaled: ${upscaled[0]?.imageURL}`);
  console.log(`Promise.all cut out: ${cutOut[0]?.imageURL}`);

  // Streams: forkJoin subscribes to the three at once and emits when all have completed.
  // Unsubscribing (or one failing) cancels the others.
  const joined = await firstValueFrom(
    forkJoin({
      generated: items(runware.image$(generate)),
      upscaled: items(runware.upscale$({ inputImage: fromFile(photo), upscaleFactor: 4 })),
      cutOut: items(runware.removeBackground$({ inputImage: fromFile(photo), outputFormat: 'PNG' })),
    }),
  );
  console.log(`forkJoin generated: ${joined.generated[0]?.imageURL}`);
  console.log(`forkJoin upscaled: ${joined.upscaled[0]?.imageURL}`);
  console.log(`forkJoin cut out: ${joined.cutOut[0]?.imageURL}`);
} catch (error) {
  console.error(isRunwareError(error) ? `failed (${error.code}, task ${error.taskUUID ?? 'none'}): ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await runware.disconnect();
  await stop();
}
