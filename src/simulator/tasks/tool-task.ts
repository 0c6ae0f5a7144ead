import type { ImageFormat } from '../media/formats.js';
import type { Eventually, OutputType } from '../media/media-engine.js';
import type { DataItem } from '../types.js';
import { acknowledge } from './acknowledge.js';
import { plannedGenerations, runGenerations } from './generations.js';
import type { ParamReader } from './params.js';
import type { TaskContext } from './task-handler.js';

/** How a tool task (upscale, removeBackground, caption, promptEnhance, uploads) answers. */
export interface ToolRun {
  readonly deliveryMethod: 'sync' | 'async';
  /** How many result items: one for most tools, `promptVersions` for promptEnhance. */
  readonly results: number;
  /** Builds result `index` (without `status`); may reject with a ParamError for an input bad once decoded. */
  readonly produce: (index: number) => Eventually<DataItem>;
}

/** `deliveryMethod`, as every tool task reads it: `sync` (default) or `async`. */
export const readDeliveryMethod = (read: ParamReader): 'sync' | 'async' => read.optionalChoice('deliveryMethod', ['sync', 'async']) ?? 'sync';

/**
 * Runs a validated tool task the way imageInference runs: remembered at once (for
 * `conflictTaskUUID` and `getResponse`), each result ready after a latency drawn around
 * `imageLatencyMs` (one knob for every image-sized task), pushed when ready for sync delivery, or
 * acknowledged now and reported through `getResponse` for async. Per-item fault injection
 * (`failNextItems`, `itemFailureRate`) and delayed or dropped acks apply as to imageInference.
 */
export const runToolTask = (context: TaskContext, { deliveryMethod, results, produce }: ToolRun): void => {
  const { env, session, taskType, taskUUID } = context;
  const now = env.now();
  const delays = env.latency.delays(session, env.options.imageLatencyMs, results);
  // Tools have no seed; the generations' seeds only number them.
  const generations = plannedGenerations(1, delays, now);
  env.tasks.add({ taskType, taskUUID, createdAt: now, generations });
  const async = deliveryMethod === 'async';
  if (async) acknowledge(context);
  runGenerations({ context, generations, pushResults: !async, produce: (_generation, index) => produce(index) });
};

/** How an image tool returns its image (protocol §4.1). */
export interface ImageOutput {
  readonly outputType: OutputType;
  readonly outputFormat: ImageFormat;
  readonly outputQuality: number | undefined;
}

/** Reads `outputType` (default URL), `outputFormat` (default `defaultFormat`) and `outputQuality` (20–99). */
export const readImageOutput = (read: ParamReader, defaultFormat: ImageFormat): ImageOutput => ({
  outputType: read.optionalChoice('outputType', ['URL', 'base64Data', 'dataURI']) ?? 'URL',
  outputFormat: read.optionalChoice('outputFormat', ['JPG', 'PNG', 'WEBP'], 'unsupportedOutputFormat') ?? defaultFormat,
  outputQuality: read.optionalInteger('outputQuality', { min: 20, max: 99 }),
});

/** `{ cost }` when `includeCost` is true (a made-up but stable price per result), else nothing. */
export const costField = (read: ParamReader, price: number): { cost?: number } =>
  read.optionalBoolean('includeCost') === true ? { cost: price } : {};
