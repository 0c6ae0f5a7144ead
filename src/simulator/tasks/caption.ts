import { cutString } from '../compact.js';
import type { SimulatorEnv } from '../env.js';
import { describeImage } from '../media/image-caption.js';
import { createRandom, hashString } from '../media/prng.js';
import type { TaskObject } from '../types.js';
import { DECODABLE_IMAGE, decodingInput, materialise, readImageInput, type ImageInput } from './image-input.js';
import { readMediaInput } from './media-input.js';
import { answerOnce } from './one-result.js';
import { ParamError } from './param-error.js';
import { readParams, type ParamReader } from './params.js';
import { costOf, definePricedTool, priced, type Priced, readDeliveryMethod } from './tool-task.js';

/** Validated `caption` parameters (protocol §4.6). */
interface CaptionParams extends Priced {
  readonly inputs: readonly ImageInput[];
  readonly prompt: string | undefined;
  readonly deliveryMethod: 'sync' | 'async';
  /** An age-detection model: the answer is `structuredData`, not `text` (protocol §4.6). */
  readonly ageDetection: boolean;
}

/** The caption models that detect age (protocol §4.6). */
const AGE_MODELS: ReadonlySet<string> = new Set(['runware:153@1', 'runware:154@1', 'runware:152@50']);
const AGE_GROUPS = ['0-12', '13-20', '21-30', '31-45', '46-60', '60+'] as const;

/** An age group and a confidence drawn from the image's bytes: the same image always says the same. */
const ageOf = (bytes: Uint8Array): { readonly ageGroup: string; readonly confidence: number } => {
  // Each byte as one character: the media's own hash of a prompt, over the image.
  const random = createRandom(hashString(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')));
  return { ageGroup: AGE_GROUPS[Math.floor(random() * AGE_GROUPS.length)]!, confidence: 60 + Math.round(random() * 3990) / 100 };
};

const MAX_IMAGES = 8;
const PROMPT = { min: 1, max: 3000 } as const;

/** `inputImages` (py-legacy, for more than one image): an array of 1 to 8 image inputs. */
const readImages = (task: TaskObject, env: SimulatorEnv, taskType: string): ImageInput[] => {
  const images = task['inputImages'];
  if (images === undefined || images === null) return [readImageInput(task, env, taskType)];
  if (!Array.isArray(images) || images.length < 1 || images.length > MAX_IMAGES) {
    throw new ParamError({
      code: 'invalidInputImages',
      message: `Invalid value for inputImages parameter. It must be an array of 1 to ${MAX_IMAGES} images.`,
      parameter: 'inputImages',
      type: 'array',
    });
  }
  return images.map((value: unknown, index) => {
    const path = `inputImages[${index}]`;
    return { path, source: readMediaInput(value, path, DECODABLE_IMAGE, env) };
  });
};

/** `prompt`: a string, or (py-legacy's type) an array of strings, read as one question. */
const readPrompt = (read: ParamReader, task: TaskObject): string | undefined => {
  const prompt = task['prompt'];
  if (prompt === undefined || prompt === null) return undefined;
  if (Array.isArray(prompt) && prompt.length > 0 && prompt.every((part) => typeof part === 'string' && part.length >= 1 && part.length <= PROMPT.max)) {
    return prompt.join(' ');
  }
  return read.string('prompt', PROMPT);
};

const parseCaption = (task: TaskObject, env: SimulatorEnv, taskType: string): CaptionParams => {
  const read = readParams(task, env.options);
  const inputs = readImages(task, env, taskType);
  const model = read.optionalModel();
  const prompt = readPrompt(read, task);
  if (task['template'] !== undefined && task['template'] !== null) read.string('template', PROMPT);
  return { inputs, prompt, deliveryMethod: readDeliveryMethod(read), ageDetection: model !== undefined && AGE_MODELS.has(model), ...priced(read, 0.0002 * inputs.length) };
};

/**
 * `caption` (legacy wire name `imageCaption`): a deterministic description of the input in `text`
 * (its size, orientation, dominant colours, brightness, contrast and transparency; see
 * `describeImage`), one sentence per image for `inputImages`, followed by the question when a
 * `prompt` is given. Without sharp (fast mode) it names the format and size in bytes instead.
 * The age-detection models answer `structuredData: { ageGroup, confidence }` (of the first image)
 * instead. The video form shares the wire name (`video-tools.ts`).
 */
export const caption = definePricedTool({
  parse: (task, context): CaptionParams => parseCaption(task, context.env, context.taskType),
  answer: answerOnce(async (params: CaptionParams, { env, taskType, taskUUID }) => {
    if (params.ageDetection) {
      const { bytes } = await materialise(params.inputs[0]!, env);
      return { taskType, taskUUID, structuredData: ageOf(bytes), ...costOf(params) };
    }
    const { sharp } = env.media;
    const sentences = await Promise.all(
      params.inputs.map(async (input) => {
        const { bytes, format } = await materialise(input, env);
        if (sharp === undefined) return `A ${format.extension.toUpperCase()} image of ${bytes.length} bytes.`;
        return decodingInput(input, () => describeImage(sharp, bytes));
      }),
    );
    const described = sentences.length === 1 ? sentences[0]! : sentences.map((sentence, i) => `Image ${i + 1}: ${sentence}`).join(' ');
    const text = params.prompt === undefined ? described : `${described} Asked: ${JSON.stringify(cutString(params.prompt, 200))}.`;
    return { taskType, taskUUID, text, ...costOf(params) };
  }),
});
