import { echo } from '../compact.js';
import type { SimulatorEnv } from '../env.js';
import { removeImageBackground, type BackgroundSettings } from '../media/background-removal.js';
import type { TaskObject } from '../types.js';
import { readImageInput } from './image-input.js';
import { answerOnce } from './one-result.js';
import { ParamError } from './param-error.js';
import { readParams } from './params.js';
import { makeToolImage, readImageAnswer, type ImageToolParams } from './tool-image.js';
import { costOf, definePricedTool } from './tool-task.js';
import { isRecord } from '../is-record.js';

/** Validated `removeBackground` parameters (protocol §4.8). */
interface BackgroundParams extends ImageToolParams {
  readonly settings: BackgroundSettings;
}


const invalidRgba = (parameter: string, value: unknown) =>
  new ParamError({
    code: 'invalidRgba',
    message: `Invalid value for ${parameter} parameter. It must be [red, green, blue, alpha]: three integers from 0 to 255 and an alpha from 0 to 1 (received ${echo(value)}).`,
    parameter,
    type: 'array',
  });

/**
 * Reads the settings, nested under `settings` (docs, js-legacy) or flattened onto the task
 * (py-legacy's image requests); a nested value wins over a flat one. Errors name the field where
 * it was found (`settings.rgba` or `rgba`).
 */
const readSettings = (task: TaskObject, env: SimulatorEnv): BackgroundSettings => {
  const nested = task['settings'];
  if (nested !== undefined && nested !== null && !isRecord(nested)) {
    throw new ParamError({ code: 'invalidSettings', message: 'Invalid value for settings parameter. It must be an object.', parameter: 'settings', type: 'object' });
  }
  const source: Record<string, unknown> = {};
  const where: Record<string, string> = {};
  for (const key of ['rgba', 'postProcessMask', 'returnOnlyMask', 'alphaMatting', 'alphaMattingForegroundThreshold', 'alphaMattingBackgroundThreshold', 'alphaMattingErodeSize']) {
    const value = isRecord(nested) && Object.hasOwn(nested, key) && nested[key] !== undefined ? nested[key] : task[key];
    if (value === undefined || value === null) continue;
    source[key] = value;
    where[key] = isRecord(nested) && nested[key] !== undefined ? `settings.${key}` : key;
  }
  // One reader over the merged fields, so each error names the field as the client sent it.
  const named = Object.fromEntries(Object.entries(source).map(([key, value]) => [where[key]!, value]));
  const read = readParams(named, env.options);
  const threshold = (key: string, fallback: number) => (where[key] === undefined ? fallback : read.integer(where[key], { min: 1, max: 255 }));
  const flag = (key: string) => (where[key] === undefined ? false : read.optionalBoolean(where[key]) ?? false);
  let rgba: BackgroundSettings['rgba'];
  if (where['rgba'] !== undefined) {
    const value = source['rgba'];
    const ok =
      Array.isArray(value) &&
      value.length === 4 &&
      value.slice(0, 3).every((c) => Number.isInteger(c) && (c as number) >= 0 && (c as number) <= 255) &&
      typeof value[3] === 'number' &&
      value[3] >= 0 &&
      value[3] <= 1;
    if (!ok) throw invalidRgba(where['rgba'], value);
    rgba = value as unknown as [number, number, number, number];
  }
  return {
    rgba,
    postProcessMask: flag('postProcessMask'),
    returnOnlyMask: flag('returnOnlyMask'),
    alphaMatting: flag('alphaMatting'),
    alphaMattingForegroundThreshold: threshold('alphaMattingForegroundThreshold', 240),
    alphaMattingBackgroundThreshold: threshold('alphaMattingBackgroundThreshold', 10),
    alphaMattingErodeSize: threshold('alphaMattingErodeSize', 10),
  };
};

const parseBackground = (task: TaskObject, env: SimulatorEnv, taskType: string): BackgroundParams => {
  const read = readParams(task, env.options);
  const input = readImageInput(task, env, taskType);
  read.optionalModel();
  const settings = readSettings(task, env);
  return { input, settings, ...readImageAnswer(read, 'PNG', 0.0006) };
};

/**
 * `removeBackground` (legacy wire name `imageBackgroundRemoval`, with its flattened settings):
 * a PNG by default whose alpha is 0 on the background and 255 on the subject, by a documented
 * rule (`background-removal.ts` `backgroundMask`: flood fill from the border within a colour tolerance).
 * `returnOnlyMask` returns the mask (white subject on black); `rgba` fills the background;
 * `postProcessMask` and `alphaMatting` refine the mask. Without sharp, the placeholder of its format.
 * The video form shares the wire name (`video-tools.ts`).
 */
export const removeBackground = definePricedTool({
  parse: (task, context): BackgroundParams => parseBackground(task, context.env, context.taskType),
  answer: answerOnce(async (params: BackgroundParams, { env, taskType, taskUUID }) => {
    const image = await makeToolImage(env, params, 'image', async (sharp, bytes) => ({
      bytes: await removeImageBackground(sharp, bytes, params.settings, params.outputFormat, params.outputQuality),
    }));
    return { taskType, taskUUID, imageUUID: image.uuid, inputImageUUID: image.inputImageUUID, ...image.fields, ...costOf(params) };
  }),
});
