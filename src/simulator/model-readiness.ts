import { mulberry32, streamSeed, type Random } from './random.js';

/**
 * Per-model readiness of async tasks (`SimulatorOptions.modelReadiness`): how long each listed
 * model takes, drawn afresh for every task, so that a client polling them cannot know in advance
 * when any one will be ready. Made for benchmarks of polling; tasks of models not listed keep
 * `videoReadyAfterMs` and the latency spreads.
 */
export interface ModelReadinessOptions {
  /** The typical time from submission to ready, per model (AIR), in ms. */
  readonly models: Readonly<Record<string, number>>;
  /** Each task's time is drawn uniformly from `typical × (1 ± spread)`; 0 to 0.9. Default 0.1. */
  readonly spread?: number;
  /** Seed of the draws (an integer 0 to 2^32-1); each model draws from a stream of its own. Default 1. */
  readonly seed?: number;
}

/** The draws of a simulator's per-model readiness. */
export interface ModelReadiness {
  /** When each of `count` generations of a new task of `model` is ready, in ms after submission; `undefined` for a model not listed. */
  delays(model: string, count: number): number[] | undefined;
}

/** Above this, the fastest draw of a model would be under a tenth of its slowest. */
const MAX_SPREAD = 0.9;

/** FNV-1a over the model's name: which stream under the seed the model draws from. */
const streamOf = (model: string): number => {
  let hash = 0x811c_9dc5;
  for (let index = 0; index < model.length; index += 1) hash = Math.imul(hash ^ model.charCodeAt(index), 0x0100_0193);
  return hash >>> 0;
};

/**
 * Checks the options and creates the draws: uniform over the spread (every time in the range as
 * likely as any other, which is what a benchmark comparing pollers needs: no time favoured), one
 * mulberry32 stream per model started from the seed, drawn in the order the simulator receives
 * the tasks of that model, whatever their session. So the same seed and the same order of tasks
 * give the same times; the generations of one task are ready together.
 *
 * @param options The models, the spread and the seed.
 * @returns The draws.
 * @throws {RangeError} Naming the option that is wrong.
 */
export const createModelReadiness = (options: ModelReadinessOptions): ModelReadiness => {
  const { models, spread = 0.1, seed = 1 } = options;
  if (typeof models !== 'object' || models === null) throw new RangeError('startSimulator: modelReadiness.models must be an object of model → ms');
  for (const [model, ms] of Object.entries(models)) {
    if (!(typeof ms === 'number' && Number.isFinite(ms) && ms >= 0)) throw new RangeError(`startSimulator: modelReadiness.models["${model}"] must be a finite number of ms >= 0, got ${String(ms)}`);
  }
  if (!(typeof spread === 'number' && spread >= 0 && spread <= MAX_SPREAD)) throw new RangeError(`startSimulator: modelReadiness.spread must be a number from 0 to ${MAX_SPREAD}, got ${String(spread)}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) throw new RangeError(`startSimulator: modelReadiness.seed must be an integer 0 to 4294967295, got ${String(seed)}`);
  const streams = new Map<string, Random>();
  return {
    delays(model, count) {
      if (!Object.hasOwn(models, model)) return undefined;
      let random = streams.get(model);
      if (random === undefined) streams.set(model, (random = mulberry32(streamSeed(seed, streamOf(model)))));
      const typical = models[model]!;
      return new Array<number>(count).fill(Math.round(typical * (1 - spread + 2 * spread * random())));
    },
  };
};
