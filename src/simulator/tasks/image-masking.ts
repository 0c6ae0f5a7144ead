import { randomUUID } from 'node:crypto';
import type { SimulatorEnv } from '../env.js';
import { IMAGE_FORMATS } from '../media/formats.js';
import { maskImage, type MaskingSettings } from '../media/masking.js';
import type { TaskObject } from '../types.js';
import { decodingInput, materialise, readImageInput, type ImageInput } from './image-input.js';
import { keepOutput, placeholderOutput } from './outputs.js';
import { optionalObject, readNested, readParams, type ParamReader } from './params.js';
import { costOf, definePricedTool, type ImageOutput, priced, type Priced, readDeliveryMethod, readImageOutput } from './tool-task.js';

/** Validated `imageMasking` parameters (protocol §4.10). */
interface MaskingParams extends ImageOutput, Priced {
  readonly input: ImageInput;
  readonly settings: MaskingSettings;
  readonly deliveryMethod: 'sync' | 'async';
}

/**
 * The detector's settings, at the top level (classic style) or under `settings` (schema style);
 * a nested value wins, and errors name the field where it was sent.
 */
const readSettings = (task: TaskObject, env: SimulatorEnv): MaskingSettings => {
  const top = readParams(task, env.options);
  const nested = readNested(task, 'settings', env.options);
  const inner = optionalObject(task, 'settings') ?? {};
  const pick = <T>(name: string, get: (reader: ParamReader, key: string) => T | undefined): T | undefined =>
    inner[name] !== undefined && inner[name] !== null ? get(nested, `settings.${name}`) : get(top, name);
  return {
    confidence: pick('confidence', (r, k) => r.optionalNumber(k, { min: 0, max: 1 })) ?? 0.25,
    maxDetections: pick('maxDetections', (r, k) => r.optionalInteger(k, { min: 1, max: 20 })) ?? 6,
    // Negative shrinks the mask (docs text): bounded by any image the simulator takes.
    maskPadding: pick('maskPadding', (r, k) => r.optionalInteger(k, { min: -4096, max: 4096 })) ?? 4,
    maskBlur: pick('maskBlur', (r, k) => r.optionalInteger(k, { min: 0, max: 255 })) ?? 4,
  };
};

const parseMasking = (task: TaskObject, env: SimulatorEnv, taskType: string): MaskingParams => {
  const read = readParams(task, env.options);
  const input = readImageInput(task, env, taskType);
  // The model chooses what is detected (faces, hands, people: runware:35@1…15); the docs require it.
  read.model();
  const settings = readSettings(task, env);
  const output = readImageOutput(read, 'PNG');
  return { input, settings, ...output, deliveryMethod: readDeliveryMethod(read), ...priced(read, 0.0008) };
};

/**
 * `imageMasking`: a mask, white on what was detected and black elsewhere, and the detections'
 * boxes `[{ x_min, y_min, x_max, y_max }]`, by the rule of `media/masking.ts` (the model's choice of
 * faces, hands or people is not modelled: every subject is detected). Results
 * `{ taskType, taskUUID, inputImageUUID, maskImageUUID, maskImage<URL|Base64Data|DataURI>, detections, cost? }`.
 * Without sharp (fast mode), the placeholder of the format and no detections.
 */
export const imageMasking = definePricedTool({
  parse: (task, context) => parseMasking(task, context.env, context.taskType),
  answer(params, context) {
    const { env, taskType, taskUUID } = context;
    return {
      deliveryMethod: params.deliveryMethod,
      results: 1,
      async produce() {
        const input = await materialise(params.input, env);
        const { sharp } = env.media;
        const maskImageUUID = randomUUID();
        if (sharp === undefined) {
          const fields = placeholderOutput(env, 'maskImage', maskImageUUID, params.outputFormat, params.outputType);
          return { taskType, taskUUID, inputImageUUID: input.uuid, maskImageUUID, ...fields, detections: [], ...costOf(params) };
        }
        const { mask, detections } = await decodingInput(params.input, () => maskImage(sharp, input.bytes, params.settings, params.outputFormat, params.outputQuality));
        const fields = keepOutput(env, 'maskImage', maskImageUUID, mask, IMAGE_FORMATS[params.outputFormat], params.outputType);
        return { taskType, taskUUID, inputImageUUID: input.uuid, maskImageUUID, ...fields, detections, ...costOf(params) };
      },
    };
  },
});
