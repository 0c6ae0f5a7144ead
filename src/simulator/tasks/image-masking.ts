import type { SimulatorEnv } from '../env.js';
import { maskImage, type MaskingSettings } from '../media/masking.js';
import type { TaskObject } from '../types.js';
import { readImageInput } from './image-input.js';
import { answerOnce } from './one-result.js';
import { optionalObject, readNested, readParams, type ParamReader } from './params.js';
import { makeToolImage, readImageAnswer, type ImageToolParams } from './tool-image.js';
import { costOf, definePricedTool } from './tool-task.js';

/** Validated `imageMasking` parameters (protocol §4.10). */
interface MaskingParams extends ImageToolParams {
  readonly settings: MaskingSettings;
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
  return { input, settings, ...readImageAnswer(read, 'PNG', 0.0008) };
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
  answer: answerOnce(async (params: MaskingParams, { env, taskType, taskUUID }) => {
    const image = await makeToolImage(env, params, 'maskImage', async (sharp, bytes) => {
      const { mask, detections } = await maskImage(sharp, bytes, params.settings, params.outputFormat, params.outputQuality);
      return { bytes: mask, detections };
    });
    const detections = image.made?.detections ?? [];
    return { taskType, taskUUID, inputImageUUID: image.inputImageUUID, maskImageUUID: image.uuid, ...image.fields, detections, ...costOf(params) };
  }),
});
