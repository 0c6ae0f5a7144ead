import type { ImageFormat } from '../media/formats.js';
import type { Eventually, OutputType } from '../media/media-engine.js';
import type { DataItem, Seed, TaskObject } from '../types.js';
import { acknowledge } from './acknowledge.js';
import { plannedGenerations, runGenerations } from './generations.js';
import { readOutputType } from './outputs.js';
import type { ParamReader } from './params.js';
import { rememberTask } from './remember.js';
import type { AnyTaskHandler, TaskContext } from './task-handler.js';
import { defineHandler } from './task-handler.js';

/** How a tool task (upscale, removeBackground, caption, promptEnhance, uploads) answers. */
export interface ToolRun {
  readonly deliveryMethod: 'sync' | 'async';
  /** How many result items: one for most tools, `promptVersions` for promptEnhance. */
  readonly results: number;
  /** What the task costs in all, in USD. */
  readonly cost: number;
  /**
   * The median time to each result; default `imageLatencyMs` (one knob for every image-sized
   * task). The video tools take `videoReadyAfterMs`.
   */
  readonly latencyMs?: number;
  /** The seed of the first result (the others count up from it, as the API does); default 1, which only numbers them. */
  readonly firstSeed?: Seed;
  /** Builds result `index` (without `status`); may reject with a ParamError for an input bad once decoded. */
  readonly produce: (index: number, seed: Seed) => Eventually<DataItem>;
  /** False when the results' files are not outputs for `uploadEndpoint` (see `runGenerations`). */
  readonly uploadsOutputs?: boolean;
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
const runToolTask = (context: TaskContext, { deliveryMethod, results, cost, latencyMs, firstSeed = 1, produce, uploadsOutputs = true }: ToolRun): void => {
  const { env, session } = context;
  const now = env.now();
  const delays = env.latency.delays(session, latencyMs ?? env.options.imageLatencyMs, results);
  const generations = plannedGenerations(firstSeed, delays, now);
  rememberTask(context, generations, cost, now);
  const async = deliveryMethod === 'async';
  if (async) acknowledge(context);
  runGenerations({ context, generations, pushResults: !async, uploadsOutputs, produce: (generation, index) => produce(index, generation.seed) });
};

/** How a task a tool handler read answers: a `ToolRun` whose cost is the handler's price. */
export type ToolAnswer = Omit<ToolRun, 'cost'>;

/** A handler of a task that runs as a tool task: how it reads the task, and how the task answers. */
export interface ToolHandler<P> {
  parse(task: TaskObject, context: TaskContext): P;
  answer(params: P, context: TaskContext): ToolAnswer;
}

// The handler's methods are read when called, not when declared: a property read at import
// could run a getter, so bundlers would keep every declaration of an imported-only simulator.
const toolHandler = <P>(handler: ToolHandler<P>, price: (params: P) => number): AnyTaskHandler =>
  defineHandler<P>({
    createsTask: true,
    parse: (task, context) => handler.parse(task, context),
    price,
    run: (params, context) => runToolTask(context, { ...handler.answer(params, context), cost: price(params) }),
  });

/**
 * Declares the handler of a tool task that costs what its parameters say (`priced`): it creates
 * a task, is priced (dry run, account) and charged by that, and runs through `runToolTask`.
 */
export const definePricedTool = <P extends Priced>(handler: ToolHandler<P>): AnyTaskHandler => toolHandler(handler, (params) => params.price);

/** Declares the handler of a tool task that costs nothing (uploads, model search, the account). */
export const defineFreeTool = <P>(handler: ToolHandler<P>): AnyTaskHandler => toolHandler(handler, () => 0);

/** How an image tool returns its image (protocol §4.1). */
export interface ImageOutput {
  readonly outputType: OutputType;
  readonly outputFormat: ImageFormat;
  readonly outputQuality: number | undefined;
}

/** Reads `outputType` (default URL), `outputFormat` (default `defaultFormat`) and `outputQuality` (20–99). */
export const readImageOutput = (read: ParamReader, defaultFormat: ImageFormat): ImageOutput => ({
  outputType: readOutputType(read),
  outputFormat: read.optionalChoice('outputFormat', ['JPG', 'PNG', 'WEBP'], 'unsupportedOutputFormat') ?? defaultFormat,
  outputQuality: read.optionalInteger('outputQuality', { min: 20, max: 99 }),
});

/** A task's price (made up but stable), and whether its results show it (`includeCost`). */
export interface Priced {
  /** USD, for the whole task. */
  readonly price: number;
  readonly includeCost: boolean;
}

/** Reads `includeCost` beside the task's price. */
export const priced = (read: ParamReader, price: number): Priced => ({ price: roundPrice(price), includeCost: read.optionalBoolean('includeCost') === true });

/** `{ cost }` for a result when `includeCost` asked for it (`share` of the task's price: 1 / results), else nothing. */
export const costOf = ({ price, includeCost }: Priced, share = 1): { cost?: number } => (includeCost ? { cost: roundPrice(price * share) } : {});

/** Prices rounded to a millionth of a dollar, so sums do not show floating-point dust. */
export const roundPrice = (usd: number): number => Math.round(usd * 1e6) / 1e6;
