import type { SimulatorEnv } from '../env.js';
import { upscaleImage, upscaleTooLarge, imageSize } from '../media/image-tools.js';
import type { TaskObject } from '../types.js';
import { readImageInput } from './image-input.js';
import { answerOnce } from './one-result.js';
import { ParamError } from './param-error.js';
import { readParams } from './params.js';
import { makeToolImage, readImageAnswer, type ImageToolParams } from './tool-image.js';
import { costOf, definePricedTool } from './tool-task.js';

/** Validated `upscale` parameters (protocol §4.7). */
interface UpscaleParams extends ImageToolParams {
  readonly upscaleFactor: number;
}

/**
 * The documented factors are 2 and 4 (4 only on some models); older docs say 2–4. The simulator
 * takes the integers of that range, 2 to 4, on every model: factor 1 is no upscale, and the
 * models document nothing above 4.
 */
const FACTOR = { min: 2, max: 4 } as const;

const parseUpscale = (task: TaskObject, env: SimulatorEnv, taskType: string): UpscaleParams => {
  const read = readParams(task, env.options);
  const input = readImageInput(task, env, taskType);
  const upscaleFactor = read.integer('upscaleFactor', FACTOR);
  read.optionalModel();
  if (task['settings'] !== undefined && (typeof task['settings'] !== 'object' || task['settings'] === null || Array.isArray(task['settings']))) {
    throw new ParamError({ code: 'invalidSettings', message: 'Invalid value for settings parameter. It must be an object.', parameter: 'settings', type: 'object' });
  }
  return { input, upscaleFactor, ...readImageAnswer(read, 'JPG', 0.002 * upscaleFactor) };
};

/**
 * `upscale` (legacy wire name `imageUpscale`, same fields): resizes the input image to exactly
 * `upscaleFactor` times its size (Lanczos), as `outputFormat` (default JPG). Outputs above
 * 16 megapixels or 8192 px a side are refused (`invalidUpscaleFactor`). Without sharp (fast mode)
 * the output is the placeholder of its format. The result names the input as `inputImageUUID`.
 * The video form shares the wire name (`video-tools.ts`).
 */
export const upscale = definePricedTool({
  parse: (task, context): UpscaleParams => parseUpscale(task, context.env, context.taskType),
  answer: answerOnce(async (params: UpscaleParams, { env, taskType, taskUUID }) => {
    const image = await makeToolImage(env, params, 'image', async (sharp, bytes) => {
      const { width, height } = await imageSize(sharp, bytes);
      const tooLarge = upscaleTooLarge(width, height, params.upscaleFactor);
      if (tooLarge !== undefined) throw new ParamError({ code: 'invalidUpscaleFactor', message: tooLarge, parameter: 'upscaleFactor', type: 'integer' });
      return upscaleImage(sharp, bytes, params.upscaleFactor, params.outputFormat, params.outputQuality);
    });
    return { taskType, taskUUID, imageUUID: image.uuid, inputImageUUID: image.inputImageUUID, ...image.fields, ...costOf(params) };
  }),
});
