import { namespaceOf } from '../catalog.js';
import type { ImageFormat } from '../media/formats.js';
import type { OutputType } from '../media/media-engine.js';
import type { SimulatorEnv } from '../env.js';
import type { Seed, TaskObject } from '../types.js';
import { acknowledge } from './acknowledge.js';
import { checkImageInferenceInputs } from './inference-inputs.js';
import { plannedGenerations, runGenerations } from './generations.js';
import { readParams } from './params.js';
import { drawingSeed, randomSeed, readSeed } from './seed.js';
import { contentChecked, contentVerdict } from './content-check.js';
import { rememberTask } from './remember.js';
import { defineHandler } from './task-handler.js';

/** Validated `imageInference` parameters (protocol §4.2.1, the subset the simulator models). */
export interface ImageParams {
  readonly model: string;
  readonly positivePrompt: string;
  readonly width: number;
  readonly height: number;
  readonly steps: number | undefined;
  readonly seed: Seed | undefined;
  readonly numberResults: number;
  /** How each result carries its image: one field per type asked for (a list is allowed, §10.2). */
  readonly outputTypes: readonly OutputType[];
  readonly outputFormat: ImageFormat;
  readonly outputQuality: number | undefined;
  readonly includeCost: boolean;
  readonly deliveryMethod: 'sync' | 'async';
  /** Whether results say if they are NSFW (`checkNSFW`, `safety`). */
  readonly checkContent: boolean;
}

const SIDE = { min: 128, max: 2048, multipleOf: 64 } as const;
/** The `resolution` values accepted (the API's set is unconfirmed, §4.2.1), and the side of each. */
const RESOLUTIONS = ['1k', '2k', '4k'] as const;
const RESOLUTION_SIDE: Readonly<Record<(typeof RESOLUTIONS)[number], number>> = { '1k': 1024, '2k': 2048, '4k': 4096 };
/** Namespaces of models that take the documented width and height (128–2048, multiples of 64), which they need. */
const SIZED_NAMESPACES = new Set(['runware', 'civitai']);
/** The side of the square a provider's model makes when given no size. */
const PROVIDER_SIDE = 1024;
const DEFAULT_OUTPUT: readonly OutputType[] = ['URL'];

/**
 * The side of the square a task without `width` and `height` makes: its `resolution`'s, or, for a
 * provider's model, which has sizes of its own (§4.2 †), that model's default; `undefined` when the
 * model needs a size (a `runware` or `civitai` one).
 */
const unsizedSide = (resolution: (typeof RESOLUTIONS)[number] | undefined, model: string): number | undefined =>
  resolution !== undefined ? RESOLUTION_SIDE[resolution] : SIZED_NAMESPACES.has(namespaceOf(model).toLowerCase()) ? undefined : PROVIDER_SIDE;

/** Validates like the API; throws {@link ParamError} naming the first bad parameter. */
export const parseImageParams = (task: TaskObject, env: SimulatorEnv): ImageParams => {
  const read = readParams(task, env.options);
  const model = read.model();
  const positivePrompt = read.string('positivePrompt', { min: 2, max: 3000 });
  // Newer models take a resolution instead of a size (protocol §4.2.1): a square of that many
  // kilopixels a side. A size given beside it wins, as the more precise of the two.
  const resolution = read.optionalChoice('resolution', RESOLUTIONS);
  const side = task['width'] != null || task['height'] != null ? undefined : unsizedSide(resolution, model);
  const width = side ?? read.integer('width', SIDE);
  const height = side ?? read.integer('height', SIDE);
  const steps = read.optionalInteger('steps', { min: 1, max: 100 });
  read.optionalNumber('CFGScale', { min: 0, max: 50 });
  const seed = readSeed(task);
  const numberResults = read.optionalInteger('numberResults', { min: 1, max: 20 }) ?? 1;
  const outputTypes = read.optionalChoices('outputType', ['URL', 'base64Data', 'dataURI']) ?? DEFAULT_OUTPUT;
  const outputFormat = read.optionalChoice('outputFormat', ['JPG', 'PNG', 'WEBP'], 'unsupportedOutputFormat') ?? 'JPG';
  const outputQuality = read.optionalInteger('outputQuality', { min: 20, max: 99 });
  const includeCost = read.optionalBoolean('includeCost') ?? false;
  checkImageInferenceInputs(task, env);
  const deliveryMethod = read.optionalChoice('deliveryMethod', ['sync', 'async']) ?? 'sync';
  read.optionalBoolean('checkNSFW');
  return { model, positivePrompt, width, height, steps, seed, numberResults, outputTypes, outputFormat, outputQuality, includeCost, deliveryMethod, checkContent: contentChecked(task) };
};

/** A made-up but plausible price: proportional to pixels and steps, like real per-image pricing. */
export const imageCost = ({ width, height, steps }: Pick<ImageParams, 'width' | 'height' | 'steps'>): number =>
  Math.max(0.0001, Math.round(((0.0013 * width * height) / 1_048_576) * ((steps ?? 20) / 20) * 1e6) / 1e6);

/**
 * `imageInference`: sync by default (each result pushed once it is drawn and its latency, around
 * `imageLatencyMs`, has passed), or `deliveryMethod: "async"` (an ack now, results via
 * `getResponse` once ready).
 */
export const imageInference = defineHandler({
  createsTask: true,
  parse: (task, context) => parseImageParams(task, context.env),
  price: (params) => imageCost(params) * params.numberResults,
  run(params, context) {
    const { env, session, taskType, taskUUID } = context;
    const now = env.now();
    const delays = env.latency.delays(session, env.options.imageLatencyMs, params.numberResults);
    const generations = plannedGenerations(params.seed ?? randomSeed(), delays, now);
    const each = imageCost(params);
    rememberTask(context, generations, each * params.numberResults, now);
    const async = params.deliveryMethod === 'async';
    if (async) acknowledge(context);

    const cost = params.includeCost ? { cost: each } : {};
    runGenerations({
      context,
      generations,
      pushResults: !async,
      produce({ seed }) {
        const imageUUID = env.media.imageUUID(params.outputFormat);
        const spec = {
          prompt: params.positivePrompt,
          seed: drawingSeed(seed),
          width: params.width,
          height: params.height,
          format: params.outputFormat,
          quality: params.outputQuality,
          uuid: imageUUID,
        };
        const item = (output: object) => ({ taskType, taskUUID, imageUUID, ...output, seed, ...cost, ...contentVerdict(params.checkContent) });
        const [only, ...more] = params.outputTypes;
        if (more.length === 0) {
          const fields = env.media.image({ ...spec, outputType: only! });
          return fields instanceof Promise ? fields.then(item) : item(fields);
        }
        // Several output types: one field each, of the one image (drawn once per type, same seed).
        const each = params.outputTypes.map((outputType) => Promise.resolve(env.media.image({ ...spec, outputType })));
        return Promise.all(each).then((all) => item(Object.assign({}, ...all) as object));
      },
    });
  },
});
