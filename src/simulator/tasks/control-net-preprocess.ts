import { echo } from '../compact.js';
import type { SimulatorEnv } from '../env.js';
import { guideImage } from '../media/guide-images.js';
import { PREPROCESSORS, type Preprocessor } from '../media/guide-spec.js';
import type { TaskObject } from '../types.js';
import { readImageInput } from './image-input.js';
import { answerOnce } from './one-result.js';
import { ParamError } from './param-error.js';
import { readParams } from './params.js';
import { makeToolImage, readImageAnswer, type ImageToolParams } from './tool-image.js';
import { costOf, definePricedTool } from './tool-task.js';

/** Validated `controlNetPreprocess` parameters (protocol §4.11). */
interface PreprocessParams extends ImageToolParams {
  readonly preProcessorType: Preprocessor;
  readonly width: number | undefined;
  readonly height: number | undefined;
  readonly lowThresholdCanny: number;
  readonly highThresholdCanny: number;
  readonly includeHandsAndFaceOpenPose: boolean;
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
  // js-legacy sends the legacy name with deliveryMethod "async" by default; the docs' default is sync.
  const answer = readImageAnswer(read, 'PNG', 0.0006);
  return { input, preProcessorType, width, height, lowThresholdCanny, highThresholdCanny, includeHandsAndFaceOpenPose, ...answer };
};

/**
 * `controlNetPreprocess` (legacy wire name `imageControlNetPreProcess`, js-legacy's, same fields):
 * a guide image of the input's size (or smaller, `width`/`height`) made by the rule of its
 * `preProcessorType` (`media/guide-images.ts`), `{ taskType, taskUUID, inputImageUUID,
 * guideImageUUID, guideImage<URL|Base64Data|DataURI>, cost? }`. Without sharp, the placeholder.
 */
export const controlNetPreprocess = definePricedTool({
  parse: (task, context) => parsePreprocess(task, context.env, context.taskType),
  answer: answerOnce(async (params: PreprocessParams, { env, taskType, taskUUID }) => {
    const spec = { ...params, format: params.outputFormat, quality: params.outputQuality };
    const image = await makeToolImage(env, params, 'guideImage', (sharp, bytes) => guideImage(sharp, bytes, spec));
    return { taskType, taskUUID, inputImageUUID: image.inputImageUUID, guideImageUUID: image.uuid, ...image.fields, ...costOf(params) };
  }),
});
