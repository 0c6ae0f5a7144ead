import { processingFailed } from '../errors.js';
import type { Eventually } from '../media/media-engine.js';
import type { Generation } from '../task-store.js';
import type { DataItem } from '../types.js';
import type { TaskContext } from './task-handler.js';

/** A random seed as the API picks one when none is given: a positive 31-bit integer. */
export const randomSeed = (): number => 1 + Math.floor(Math.random() * 2_147_483_646);

/** `count` generations whose seeds increment from `firstSeed`, as the API does for numberResults > 1. */
export const plannedGenerations = (firstSeed: number, count: number, startedAt: number, readyAt: number): Generation[] =>
  Array.from({ length: count }, (_, index) => ({ seed: firstSeed + index, startedAt, readyAt }));

/** Calls back with the value now when it is not a promise, so the fast mode never allocates one. */
const whenReady = <T>(value: Eventually<T>, onValue: (value: T) => void, onError: (error: unknown) => void): void => {
  if (value instanceof Promise) value.then(onValue, onError);
  else onValue(value);
};

/** Options of {@link runGenerations}. */
export interface RunGenerationsOptions {
  readonly context: TaskContext;
  readonly generations: readonly Generation[];
  /** Builds one success item (without `status`). */
  readonly produce: (generation: Generation) => Eventually<DataItem>;
  /** Sync delivery: push each item once it is produced and `latencyMs` has passed. Async: only record it. */
  readonly pushResults: boolean;
  readonly latencyMs: number;
}

/**
 * Produces every generation of a task and records the outcome on it (for `getResponse`). For sync
 * delivery each item is pushed as soon as it is ready; with zero latency and synchronous production
 * (fast mode) everything is pushed right away, so no timer is created. The `generation` hook may
 * fail a generation up front (provider-style failures), which then is never produced.
 */
export const runGenerations = ({ context, generations, produce, pushResults, latencyMs }: RunGenerationsOptions): void => {
  const { env } = context;
  const emit = (generation: Generation) =>
    context.push(generation.failure ? { errors: [generation.failure] } : { data: [generation.result!] });
  let latencyPassed = latencyMs === 0;
  const waiting: Generation[] = [];
  if (pushResults && !latencyPassed) {
    env.timers.after(latencyMs, () => {
      latencyPassed = true;
      for (const generation of waiting) emit(generation);
    });
  }
  const settled = (generation: Generation) => {
    if (!pushResults) return;
    if (latencyPassed) emit(generation);
    else waiting.push(generation);
  };

  const failureHook = env.hooks.generation;
  for (const generation of generations) {
    const injected = failureHook?.(context);
    if (injected !== undefined) {
      generation.failure = injected;
      settled(generation);
      continue;
    }
    whenReady(
      produce(generation),
      (item) => {
        generation.result = item;
        settled(generation);
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        env.options.log(`${context.taskType} ${context.taskUUID} failed: ${message}`);
        generation.failure = processingFailed(context, message);
        settled(generation);
      },
    );
  }
};
