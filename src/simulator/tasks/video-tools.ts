import { echo } from '../compact.js';
import type { SimulatorEnv } from '../env.js';
import { VIDEO_FORMAT_NAMES, type VideoFormat } from '../media/formats.js';
import { mp4Info, type VideoInfo } from '../media/mp4-info.js';
import { webmInfo } from '../media/webm-info.js';
import type { DataItem, TaskObject } from '../types.js';
import { bytesOf } from './image-input.js';
import { readMediaInput, valueAt, type MediaRule, type MediaSource } from './media-input.js';
import { ParamError } from './param-error.js';
import { optionalObject, readParams, type ParamReader } from './params.js';
import type { AnyTaskHandler, TaskContext } from './task-handler.js';
import { costOf, definePricedTool, priced, type Priced, type ToolAnswer } from './tool-task.js';

/**
 * The video forms of `caption`, `upscale` and `removeBackground` (protocol §0.3, §4.6–4.8): the
 * same wire task types as the image tools, told apart by `inputs.video`. Async only, as the API
 * requires (an ack, then getResponse; `deliveryMethod: "sync"` is `unsupportedDeliveryMethod`),
 * ready after `videoReadyAfterMs`. The simulator decodes no video: it reads the input's size and
 * length from its MP4, MOV or WEBM header (an external URL stands for a 640×360, 5-second
 * video), and its outputs are real videos, in the `outputFormat` asked for, drawn by the video
 * renderer from the input's identity.
 */

const VIDEO: MediaRule = { formats: new Set(['mp4', 'mov', 'webm']), describe: 'an MP4, MOV or WEBM video' };
/** What an input the simulator cannot read (an external URL, a header it does not know) is taken to be. */
const STAND_IN: VideoInfo = { width: 640, height: 360, seconds: 5, frames: 120 };

/** Whether a task is the video form: `inputs.video`, and no image input beside it. */
export const isVideoTask = (task: TaskObject): boolean =>
  valueAt(task, 'inputs.video') !== undefined && task['inputImage'] === undefined && task['inputImages'] === undefined && valueAt(task, 'inputs.image') === undefined;

/** Routes a tool's wire name to its video form when the task carries `inputs.video`. */
export const withVideoForm = (image: AnyTaskHandler, video: AnyTaskHandler): AnyTaskHandler => {
  const forms = new WeakMap<object, AnyTaskHandler>();
  return {
    createsTask: true,
    parse(task, context) {
      const form = isVideoTask(task) ? video : image;
      const params = form.parse(task, context);
      // Parameters are objects: the form that made them is the one that prices and runs them.
      forms.set(params as object, form);
      return params;
    },
    price: (params) => (forms.get(params as object) ?? image).price(params),
    run: (params, context) => (forms.get(params as object) ?? image).run(params, context),
  };
};

/** The common part of the three: the input, its identity, and async-only delivery. */
interface VideoInput extends Priced {
  readonly source: MediaSource;
  /** What the output is drawn from: the input's UUID, URL or a hash of its bytes. */
  readonly identity: string;
}

const readAsyncOnly = (task: TaskObject, taskType: string): void => {
  const method = task['deliveryMethod'];
  if (method === undefined || method === null || method === 'async') return;
  throw new ParamError({
    code: 'unsupportedDeliveryMethod',
    message: `Invalid value for deliveryMethod parameter. A video ${taskType} is async-only: omit deliveryMethod or send "async", then poll with getResponse (received ${echo(method)}).`,
    parameter: 'deliveryMethod',
    type: 'string',
    allowedValues: ['async'],
  });
};

const readVideoInput = (task: TaskObject, env: SimulatorEnv, taskType: string): Omit<VideoInput, keyof Priced> => {
  readAsyncOnly(task, taskType);
  const value = valueAt(task, 'inputs.video');
  const source = readMediaInput(value, 'inputs.video', VIDEO, env);
  const read = readParams(task, env.options);
  read.optionalModel();
  read.optionalChoice('outputType', ['URL'], 'unsupportedOutputType');
  optionalObject(task, 'settings');
  optionalObject(task, 'providerSettings');
  const identity = source.kind === 'stand-in' ? source.url : (source.uuid ?? `${source.file.bytes.byteLength}:${source.format.extension}`);
  return { source, identity };
};

/** The input's size and length: its MP4, MOV or WEBM header, or the stand-in's. */
const infoOf = async (source: MediaSource, env: SimulatorEnv): Promise<VideoInfo> => {
  if (source.kind === 'stand-in') return STAND_IN;
  const { bytes } = await bytesOf(source, env);
  return (source.format.extension === 'webm' ? webmInfo(bytes) : mp4Info(bytes)) ?? STAND_IN;
};

/** How a video tool answers: async, ready after the video latency, one result. */
const videoToolAnswer = (context: TaskContext, produce: () => Promise<DataItem>): ToolAnswer => ({
  deliveryMethod: 'async',
  results: 1,
  latencyMs: context.env.options.videoReadyAfterMs,
  produce,
});

/** What a tool that makes a video reads: its input, and the container of its output. */
interface VideoOutput extends VideoInput {
  readonly format: VideoFormat;
}

const readOutputFormat = (read: ParamReader): VideoFormat => read.optionalChoice('outputFormat', VIDEO_FORMAT_NAMES, 'unsupportedOutputFormat') ?? 'MP4';

/** A rendered video of the input's identity at a size (encoded within the renderer's cap). */
const renderedVideo = async (context: TaskContext, { identity, format }: VideoOutput, width: number, height: number): Promise<{ videoUUID: string; videoURL: string }> => {
  const videoUUID = context.env.media.videoUUID(format);
  const { videoURL } = await context.env.media.video({ prompt: identity, seed: 1, width, height, uuid: videoUUID, format });
  return { videoUUID, videoURL };
};

interface UpscaleParams extends VideoOutput {
  readonly upscaleFactor: number | undefined;
  readonly width: number | undefined;
  readonly height: number | undefined;
}

/** `upscale` of a video: a video of `upscaleFactor` × the input's size, or of `width` × `height` (py-legacy). */
export const upscaleVideo = definePricedTool({
  parse(task, context): UpscaleParams {
    const { env } = context;
    const input = readVideoInput(task, env, context.taskType);
    const read = readParams(task, env.options);
    const upscaleFactor = read.optionalInteger('upscaleFactor', { min: 2, max: 4 });
    const width = read.optionalInteger('width', { min: 128, max: 8192 });
    const height = read.optionalInteger('height', { min: 128, max: 8192 });
    read.optionalInteger('fps', { min: 15, max: 60 });
    if (upscaleFactor === undefined && width === undefined && height === undefined) {
      throw new ParamError({ code: 'missingUpscaleFactor', message: 'Missing upscaleFactor parameter (or width and height of the output).', parameter: 'upscaleFactor', type: 'integer' });
    }
    return { ...input, format: readOutputFormat(read), upscaleFactor, width, height, ...priced(read, 0.02 * (upscaleFactor ?? 2)) };
  },
  answer(params, context) {
    const { taskType, taskUUID } = context;
    return videoToolAnswer(context, async () => {
      const info = await infoOf(params.source, context.env);
      const factor = params.upscaleFactor ?? 2;
      const width = params.width ?? (params.height === undefined ? info.width * factor : Math.round((params.height * info.width) / info.height));
      const height = params.height ?? (params.width === undefined ? info.height * factor : Math.round((params.width * info.height) / info.width));
      return { taskType, taskUUID, ...(await renderedVideo(context, params, width, height)), ...costOf(params) };
    });
  },
});

/** `removeBackground` of a video: a video of the input's size, opaque in every format (the renderer draws no alpha). */
export const removeVideoBackground = definePricedTool({
  parse(task, context): VideoOutput {
    const input = readVideoInput(task, context.env, context.taskType);
    const read = readParams(task, context.env.options);
    return { ...input, format: readOutputFormat(read), ...priced(read, 0.02) };
  },
  answer(params, context) {
    const { taskType, taskUUID } = context;
    return videoToolAnswer(context, async () => {
      const info = await infoOf(params.source, context.env);
      return { taskType, taskUUID, ...(await renderedVideo(context, params, info.width, info.height)), ...costOf(params) };
    });
  },
});

interface CaptionParams extends VideoInput {
  readonly prompt: string | undefined;
}

const clock = (seconds: number): string => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

/**
 * The caption of a video, from its header: its length, size, orientation and frame rate, then
 * one line per 6-second segment (the segmentation ts-new's schema describes), which the simulator
 * can only number, not describe, having no decoder. A `prompt` is appended as the image captions do.
 */
export const describeVideo = (info: VideoInfo, prompt: string | undefined): string => {
  const orientation = info.width === info.height ? 'square' : info.width > info.height ? 'landscape' : 'portrait';
  const fps = info.frames === undefined || info.seconds === 0 ? undefined : Math.round(info.frames / info.seconds);
  const head = `A ${info.seconds.toFixed(1)}-second ${info.width}×${info.height} ${orientation} video${fps === undefined ? '' : ` at ${fps} fps`}.`;
  const segments: string[] = [];
  for (let start = 0; start < info.seconds && segments.length < 100; start += 6) segments.push(`[${clock(start)}–${clock(Math.min(info.seconds, start + 6))}] Segment ${segments.length + 1} of the video.`);
  const asked = prompt === undefined ? '' : ` Asked: ${JSON.stringify(prompt.slice(0, 200))}.`;
  return `${head} ${segments.join(' ')}${asked}`;
};

/** `caption` of a video: `{ taskType, taskUUID, text, cost? }`, see {@link describeVideo}. */
export const captionVideo = definePricedTool({
  parse(task, context): CaptionParams {
    const input = readVideoInput(task, context.env, context.taskType);
    const read = readParams(task, context.env.options);
    const prompt = task['prompt'] === undefined || task['prompt'] === null ? undefined : read.string('prompt', { min: 1, max: 3000 });
    return { ...input, prompt, ...priced(read, 0.002) };
  },
  answer(params, context) {
    const { taskType, taskUUID } = context;
    return videoToolAnswer(context, async () => ({ taskType, taskUUID, text: describeVideo(await infoOf(params.source, context.env), params.prompt), ...costOf(params) }));
  },
});
