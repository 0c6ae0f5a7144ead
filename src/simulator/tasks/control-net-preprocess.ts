import { randomUUID } from 'node:crypto';
import { echo } from '../compact.js';
import type { SimulatorEnv } from '../env.js';
import { IMAGE_FORMATS } from '../media/formats.js';
import { guideImage } from '../media/guide-images.js';
import { PREPROCESSORS, type Preprocessor } from '../media/guide-spec.js';
import type { TaskObject } from '../types.js';
import { decodingInput, materialise, readImageInput, type ImageInput } from './image-input.js';
import { keepOutput, placeholderOutput } from './outputs.js';
import { ParamError } from './param-error.js';
import { readParams } from './params.js';
import { costOf, definePricedTool, type ImageOutput, priced, type Priced, readImageOutput } from './tool-task.js';

/** Validated `controlNetPreprocess` parameters (protocol §4.11). */
interface PreprocessParams extends ImageOutput, Priced {
  readonly input: ImageInput;
  readonly preProcessorType: Preprocessor;
  readonly width: number | undefined;
  readonly height: number | undefined;
  readonly lowThresholdCanny: number;
  readonly highThresholdCanny: number;
  readonly includeHandsAndFaceOpenPose: boolean;
  readonly deliveryMethod: 'sync' | 'async';
}

/** Schema-style requests choose the preprocessor by model: `runware:controlnet-preprocess@lineart`. */
const fromModel = (model: string | undefined): Preprocessor | undefined => {
  const version = model?.slice(model.indexOf('@') + 1);
  return (PREPROCESSORS as readonly string[]).includes(version ?? '') ? (version as Preprocessor) : undefined;
};

const parsePreprocess = (task: TaskObject, env: SimulatorEnv, taskType: string): PreprocessParams => {
  const read = readParams(task, env.options);
  const input = readImageInput(task, env, taskType);
  const model = read.optionalModel();
  const preProcessorType = read.optionalChoice('preProcessorType', PREPROCESSORS) ?? fromModel(model);
  if (preProcessorType === undefined) {
    throw new ParamError({ code: 'missingPreProcessorType', message: 'Missing preProcessorType parameter (or a model naming one, such as runware:controlnet-preprocess@canny).', parameter: 'preProcessorType', type: 'string', allowedValues: PREPROCESSORS });
  }
  const width = read.optionalInteger('width', { min: 64, max: 4096 });
  const height = read.optionalInteger('height', { min: 64, max: 4096 });
  const lowThresholdCanny = read.optionalInteger('lowThresholdCanny', { min: 0, max: 255 }) ?? 100;
  const highThresholdCanny = read.optionalInteger('highThresholdCanny', { min: 0, max: 255 }) ?? 200;
  if (lowThresholdCanny >= highThresholdCanny) {
    throw new ParamError({ code: 'invalidLowThresholdCanny', message: `Invalid value for lowThresholdCanny parameter. It must be below highThresholdCanny (received ${echo(lowThresholdCanny)} and ${echo(highThresholdCanny)}).`, parameter: 'lowThresholdCanny', type: 'integer' });
  }
  const includeHandsAndFaceOpenPose = read.optionalBoolean('includeHandsAndFaceOpenPose') ?? false;
  const output = readImageOutput(read, 'PNG');
  // js-legacy sends the legacy name with deliveryMethod "async" by default; the docs' default is sync.
  const deliveryMethod = read.optionalChoice('deliveryMethod', ['sync', 'async']) ?? 'sync';
  return { input, preProcessorType, width, height, lowThresholdCanny, highThresholdCanny, includeHandsAndFaceOpenPose, ...output, deliveryMethod, ...priced(read, 0.0006) };
};

/**
 * `controlNetPreprocess` (legacy wire name `imageControlNetPreProcess`, js-legacy's, same fields):
 * a guide image of the input's size (or smaller, `width`/`height`) made by the rule of its
 * `preProcessorType` (`media/guide-images.ts`), `{ taskType, taskUUID, inputImageUUID,
 * guideImageUUID, guideImage<URL|Base64Data|DataURI>, cost? }`. Without sharp, the placeholder.
 */
export const controlNetPreprocess = definePricedTool({
  parse: (task, context) => parsePreprocess(task, context.env, context.taskType),
  answer(params, context) {
    const { env, taskType, taskUUID } = context;
    return {
      deliveryMethod: params.deliveryMethod,
      results: 1,
      async produce() {
        const input = await materialise(params.input, env);
        const { sharp } = env.media;
        const guideImageUUID = randomUUID();
        let fields: Record<string, string>;
        if (sharp === undefined) fields = placeholderOutput(env, 'guideImage', guideImageUUID, params.outputFormat, params.outputType);
        else {
          const spec = { ...params, format: params.outputFormat, quality: params.outputQuality };
          const guide = await decodingInput(params.input, () => guideImage(sharp, input.bytes, spec));
          fields = keepOutput(env, 'guideImage', guideImageUUID, guide.bytes, IMAGE_FORMATS[params.outputFormat], params.outputType);
        }
        return { taskType, taskUUID, inputImageUUID: input.uuid, guideImageUUID, ...fields, ...costOf(params) };
      },
    };
  },
});
