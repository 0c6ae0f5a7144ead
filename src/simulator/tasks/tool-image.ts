import { randomUUID } from 'node:crypto';
import type { SimulatorEnv } from '../env.js';
import { IMAGE_FORMATS } from '../media/formats.js';
import type { Sharp } from '../media/optional-deps.js';
import { decodingInput, materialise, type ImageInput } from './image-input.js';
import { keepOutput, placeholderOutput } from './outputs.js';
import type { ParamReader } from './params.js';
import { type ImageOutput, priced, type Priced, readDeliveryMethod, readImageOutput } from './tool-task.js';

/**
 * The image tools (upscale, removeBackground, controlNetPreprocess, imageMasking): one input
 * image made into one output image, returned as `outputType` asks.
 */

/** What every image tool's parameters carry: its input, how it returns its output, its delivery and price. */
export interface ImageToolParams extends ImageOutput, Priced {
  readonly input: ImageInput;
  readonly deliveryMethod: 'sync' | 'async';
}

/**
 * Reads the fields every image tool ends with, in the order their errors are reported:
 * `outputType`, `outputFormat` (default `defaultFormat`), `outputQuality`, `deliveryMethod`
 * (default sync) and `includeCost` beside the tool's `price`.
 */
export const readImageAnswer = (read: ParamReader, defaultFormat: ImageOutput['outputFormat'], price: number): Omit<ImageToolParams, 'input'> => ({
  ...readImageOutput(read, defaultFormat),
  deliveryMethod: readDeliveryMethod(read),
  ...priced(read, price),
});

/** The output file of an image tool's work with sharp, and what else its result reports (masking's detections). */
export interface MadeImage {
  readonly bytes: Buffer;
}

/** An image tool's output, ready for its result. */
export interface ToolImage<M extends MadeImage> {
  /** The input's UUID (`inputImageUUID`): the one it was sent as, or the one it is now kept under. */
  readonly inputImageUUID: string;
  /** The output's UUID (`imageUUID`, `guideImageUUID`, `maskImageUUID`). */
  readonly uuid: string;
  /** `<prefix>URL`, `<prefix>Base64Data` or `<prefix>DataURI`. */
  readonly fields: Record<string, string>;
  /** What `make` returned; undefined without sharp (fast mode). */
  readonly made: M | undefined;
}

/**
 * Makes an image tool's output: the input is materialised (kept, so a later task can use it by
 * UUID), `make` turns its bytes into the output with sharp (bytes sharp cannot decode become the
 * input field's `invalid<Field>` error), and the output is kept under a new UUID and named with
 * `prefix`. Without sharp (fast mode) the output is the placeholder of `outputFormat`.
 *
 * @param env The simulator.
 * @param params The tool's input and output parameters.
 * @param prefix The result's field prefix: `image`, `guideImage`, `maskImage`.
 * @param make The tool's work on the input's bytes.
 * @returns The input's and the output's UUIDs, the output's field and what `make` made.
 */
export const makeToolImage = async <M extends MadeImage>(
  env: SimulatorEnv,
  params: ImageToolParams,
  prefix: string,
  make: (sharp: Sharp, input: Buffer) => Promise<M>,
): Promise<ToolImage<M>> => {
  const input = await materialise(params.input, env);
  const uuid = randomUUID();
  const { sharp } = env.media;
  if (sharp === undefined) {
    return { inputImageUUID: input.uuid, uuid, fields: placeholderOutput(env, prefix, uuid, params.outputFormat, params.outputType), made: undefined };
  }
  const made = await decodingInput(params.input, () => make(sharp, input.bytes));
  const fields = keepOutput(env, prefix, uuid, made.bytes, IMAGE_FORMATS[params.outputFormat], params.outputType);
  return { inputImageUUID: input.uuid, uuid, fields, made };
};
