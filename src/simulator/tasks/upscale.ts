import { randomUUID } from 'node:crypto';
import type { SimulatorEnv } from '../env.js';
import { upscaleImage, upscaleTooLarge, imageSize } from '../media/image-tools.js';
import type { TaskObject } from '../types.js';
import { decodingInput, materialise, readImageInput, type ImageInput } from './image-input.js';
import { ParamError } from './param-error.js';
import { readParams } from './params.js';
import { costOf, definePricedTool, type ImageOutput, priced, type Priced, readDeliveryMethod, readImageOutput } from './tool-task.js';

/** Validated `upscale` parameters (protocol §4.7). */
interface UpscaleParams extends ImageOutput, Priced {
  readonly input: ImageInput;
  readonly upscaleFactor: number;
  readonly deliveryMethod: 'sync' | 'async';
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
  const output = readImageOutput(read, 'JPG');
  return { input, upscaleFactor, ...output, deliveryMethod: readDeliveryMethod(read), ...priced(read, 0.002 * upscaleFactor) };
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
  answer(params, context) {
    const { env, taskType, taskUUID } = context;
    return {
      deliveryMethod: params.deliveryMethod,
      results: 1,
      async produce() {
        const input = await materialise(params.input, env);
        const imageUUID = randomUUID();
        const { sharp } = env.media;
        let bytes: Buffer | undefined;
        if (sharp !== undefined) {
          const { width, height } = await decodingInput(params.input, () => imageSize(sharp, input.bytes));
          const tooLarge = upscaleTooLarge(width, height, params.upscaleFactor);
          if (tooLarge !== undefined) {
            throw new ParamError({ code: 'invalidUpscaleFactor', message: tooLarge, parameter: 'upscaleFactor', type: 'integer' });
          }
          bytes = (await decodingInput(params.input, () => upscaleImage(sharp, input.bytes, params.upscaleFactor, params.outputFormat, params.outputQuality))).bytes;
        }
        const fields = env.media.output(imageUUID, params.outputFormat, params.outputType, bytes);
        return { taskType, taskUUID, imageUUID, inputImageUUID: input.uuid, ...fields, ...costOf(params) };
      },
    };
  },
});

