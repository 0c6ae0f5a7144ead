import { allowedDurations } from '../catalog.js';
import { echo } from '../compact.js';
import type { SimulatorEnv } from '../env.js';
import { VIDEO_FORMAT_NAMES, type VideoFormat } from '../media/formats.js';
import type { Seed, TaskObject } from '../types.js';
import { isRecord } from '../is-record.js';
import { acknowledge } from './acknowledge.js';
import { contentChecked, contentVerdict } from './content-check.js';
import { checkVideoInferenceInputs } from './inference-inputs.js';
import { plannedGenerations, runGenerations } from './generations.js';
import { ParamError } from './param-error.js';
import { readParams, type ParamReader } from './params.js';
import { rememberTask } from './remember.js';
import { drawingSeed, randomSeed, readSeed } from './seed.js';
import { defineHandler } from './task-handler.js';

/** Validated `videoInference` parameters (protocol §4.3, the subset the simulator models). */
export interface VideoParams {
  readonly model: string;
  readonly positivePrompt: string;
  readonly duration: number;
  readonly width: number;
  readonly height: number;
  readonly seed: Seed | undefined;
  readonly numberResults: number;
  readonly outputFormat: VideoFormat;
  readonly includeCost: boolean;
  /** Whether results say if they are NSFW (`safety`). */
  readonly checkContent: boolean;
}

const GENERIC_DURATION = { min: 1, max: 10 };

const readDuration = (read: ParamReader, task: TaskObject, model: string): number => {
  const duration = task['duration'];
  if (duration === undefined || duration === null) {
    throw new ParamError({ code: 'missingDuration', message: 'Missing duration parameter.', parameter: 'duration', type: 'float' });
  }
  const allowed = allowedDurations(model);
  if (allowed === undefined) return read.optionalNumber('duration', GENERIC_DURATION)!;
  if (typeof duration === 'number' && allowed.includes(duration)) return duration;
  throw new ParamError({
    code: 'unsupportedDuration',
    message: `Invalid value for duration parameter. The duration ${echo(duration)} is not supported by model ${model}.`,
    parameter: 'duration',
    type: 'float',
    allowedValues: allowed,
  });
};

const readDeliveryMethod = (task: TaskObject): void => {
  const method = task['deliveryMethod'];
  if (method === undefined || method === null || method === 'async') return;
  throw new ParamError({
    code: 'unsupportedDeliveryMethod',
    message: `Invalid value for deliveryMethod parameter. videoInference is async-only: omit deliveryMethod or send "async", then poll with getResponse (received ${echo(method)}).`,
    parameter: 'deliveryMethod',
    type: 'string',
    allowedValues: ['async'],
  });
};

/** The fields whose images or video can drive a video without a prompt (protocol §4.3). */
const VISUAL_INPUTS = ['frameImages', 'referenceImages', 'seedVideo'] as const;
const VISUAL_INPUTS_NESTED = ['frameImages', 'referenceImages', 'image', 'images', 'video'] as const;

const given = (value: unknown): boolean => value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);

const hasVisualInput = (task: TaskObject): boolean => {
  const inputs = task['inputs'];
  return VISUAL_INPUTS.some((field) => given(task[field])) || (isRecord(inputs) && VISUAL_INPUTS_NESTED.some((field) => given(inputs[field])));
};

/** Validates like the API; throws {@link ParamError} naming the first bad parameter. */
export const parseVideoParams = (task: TaskObject, env: SimulatorEnv): VideoParams => {
  const read = readParams(task, env.options);
  readDeliveryMethod(task);
  const model = read.model();
  // A video made from images or another video is driven by them: the prompt is optional then.
  const positivePrompt = task['positivePrompt'] == null && hasVisualInput(task) ? '' : read.string('positivePrompt', { min: 2, max: 3000 });
  const duration = readDuration(read, task, model);
  const width = read.optionalInteger('width', { min: 128, max: 4096, multipleOf: 8 }) ?? 1280;
  const height = read.optionalInteger('height', { min: 128, max: 4096, multipleOf: 8 }) ?? 720;
  read.optionalInteger('fps', { min: 15, max: 60 });
  read.optionalInteger('steps', { min: 10, max: 50 });
  read.optionalNumber('CFGScale', { min: 0, max: 50 });
  read.optionalInteger('outputQuality', { min: 20, max: 99 });
  const seed = readSeed(task);
  const numberResults = read.optionalInteger('numberResults', { min: 1, max: 4 }) ?? 1;
  const outputFormat = read.optionalChoice('outputFormat', VIDEO_FORMAT_NAMES, 'unsupportedOutputFormat') ?? 'MP4';
  read.optionalChoice('outputType', ['URL'], 'unsupportedOutputType');
  const includeCost = read.optionalBoolean('includeCost') ?? false;
  checkVideoInferenceInputs(task, env);
  return { model, positivePrompt, duration, width, height, seed, numberResults, outputFormat, includeCost, checkContent: contentChecked(task) };
};

/** A made-up but plausible price: proportional to duration. */
export const videoCost = ({ duration }: VideoParams): number => Math.round(0.036 * duration * 10_000) / 10_000;

/**
 * `videoInference`: acknowledged at once; each result becomes `success` in `getResponse` once its
 * time (around `videoReadyAfterMs`) has passed and its video is encoded (encoding starts now, off
 * the poll path).
 */
export const videoInference = defineHandler({
  createsTask: true,
  parse: (task, context) => parseVideoParams(task, context.env),
  price: (params) => videoCost(params) * params.numberResults,
  run(params, context) {
    const { env, session, taskType, taskUUID } = context;
    const now = env.now();
    const delays = env.options.modelReadiness?.delays(params.model, taskUUID, params.numberResults) ?? env.latency.delays(session, env.options.videoReadyAfterMs, params.numberResults);
    const generations = plannedGenerations(params.seed ?? randomSeed(), delays, now);
    rememberTask(context, generations, videoCost(params) * params.numberResults, now);
    acknowledge(context);

    const cost = params.includeCost ? { cost: videoCost(params) } : {};
    runGenerations({
      context,
      generations,
      pushResults: false,
      produce({ seed }) {
        const format = params.outputFormat;
        const videoUUID = env.media.videoUUID(format);
        const spec = { prompt: params.positivePrompt, seed: drawingSeed(seed), width: params.width, height: params.height, uuid: videoUUID, format };
        const fields = env.media.video(spec);
        const item = (output: object) => ({ taskType, taskUUID, videoUUID, ...output, seed, ...cost, ...contentVerdict(params.checkContent) });
        return fields instanceof Promise ? fields.then(item) : item(fields);
      },
    });
  },
});
