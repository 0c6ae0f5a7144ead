/*
 * A typed pipeline: generate, then upscale the first image by its URL, as promises and as a
 * stream, with every type inferred (pipeline.ts; test/types/typed-pipeline.test-d.ts proves it).
 *
 *   npm run example -- typed-pipeline
 *
 * Runs against an embedded simulator unless RUNWARE_API_KEY (or RUNWARE_URL) is set.
 */
import { firstValueFrom } from 'rxjs';
import { createRunware, isRunwareError } from 'runware-rx';
import { startTarget } from '../support/target.js';
import { generateThenUpscale, generateThenUpscale$ } from './pipeline.js';

const { apiKey, url, line, stop } = await startTarget();
console.log(line);
const runware = createRunware({ apiKey, url });

try {
  const params = { model: 'runware:101@1', positivePrompt: 'a red bicycle against a white wall', width: 512, height: 384, numberResults: 2 };
  const promised = await generateThenUpscale(runware, params);
  console.log(`promises generated: ${promised.generated.imageURL}`);
  console.log(`promises upscaled: ${promised.upscaled.imageURL}`);
  const streamed = await firstValueFrom(generateThenUpscale$(runware, { ...params, positivePrompt: 'a blue bicycle against a brick wall' }));
  console.log(`stream generated: ${streamed.generated.imageURL}`);
  console.log(`stream upscaled: ${streamed.upscaled.imageURL}`);
} catch (error) {
  console.error(isRunwareError(error) ? `failed (${error.code}, task ${error.taskUUID ?? 'none'}): ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await runware.disconnect();
  await stop();
}
