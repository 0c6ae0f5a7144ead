import { mulberry32, streamSeed } from './random.js';

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
  /** Seed of the draws (an integer 0 to 2^32-1), mixed with each task's model and taskUUID. Default 1. */
  readonly seed?: number;
}

/** The draws of a simulator's per-model readiness. */
export interface ModelReadiness {
  /** When each of `count` generations of a new task is ready, in ms after submission; `undefined` for a model not listed. */
  delays(model: string, taskUUID: string, count: number): number[] | undefined;
}

/** Above this, the fastest draw of a model would be under a tenth of its slowest. */
const MAX_SPREAD = 0.9;

/** FNV-1a over a string. */
const fnv1a = (text: string): number => {
  let hash = 0x811c_9dc5;
  for (let index = 0; index < text.length; index += 1) hash = Math.imul(hash ^ text.charCodeAt(index), 0x0100_0193);
  return hash >>> 0;
};

/**
 * When a task of a listed model is ready, in ms after the simulator received it: uniform over
 * `typical × (1 ± spread)`, drawn from the seed and the task's own identity (its model and
 * taskUUID, hashed and mixed), so every task draws afresh whatever the order or session it comes
 * in, and whoever knows the seed (a benchmark that chose the taskUUIDs) can tell afterwards when
 * each one was ready; a client polling it cannot. Pure.
 *
 * @param options The models, the spread and the seed (checked by {@link createModelReadiness}).
 * @param model The task's model.
 * @param taskUUID The task's taskUUID.
 * @returns The time, in whole ms, or `undefined` for a model not listed.
 */
export const readyAfter = (options: ModelReadinessOptions, model: string, taskUUID: string): number | undefined => {
  const { models, spread = 0.1, seed = 1 } = options;
  if (!Object.hasOwn(models, model)) return undefined;
  const uniform = mulberry32(streamSeed(seed, fnv1a(`${model}\u0000${taskUUID}`)))();
  return Math.round(models[model]! * (1 - spread + 2 * spread * uniform));
};

/**
 * Checks the options and returns the draws of {@link readyAfter}: uniform over the spread (every
 * time in the range as likely as any other, so that no poller is favoured); the generations of
 * one task are ready together.
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
  const checked: ModelReadinessOptions = { models: { ...models }, spread, seed };
  return {
    delays(model, taskUUID, count) {
      const ms = readyAfter(checked, model, taskUUID);
      return ms === undefined ? undefined : new Array<number>(count).fill(ms);
    },
  };
};
