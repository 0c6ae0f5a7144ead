import { errorItem, processingFailed } from '../errors.js';
import type { Eventually } from '../media/media-engine.js';
import type { Generation } from '../task-store.js';
import type { DataItem, Seed } from '../types.js';
import { uploadEndpointOf, webhookURLOf } from '../delivery-url.js';
import { acknowledge } from './acknowledge.js';
import { failedItem } from './failed-item.js';
import { ParamError } from './param-error.js';
import { seedAt } from './seed.js';
import type { TaskContext } from './task-handler.js';
import { uploadOutputs } from './upload-outputs.js';

/**
 * The generations of a task: seeds increment from `firstSeed`, as the API does for numberResults > 1;
 * generation `i` is ready `delays[i]` ms after `startedAt`.
 */
export const plannedGenerations = (firstSeed: Seed, delays: readonly number[], startedAt: number): Generation[] =>
  delays.map((delay, index) => ({ seed: seedAt(firstSeed, index), startedAt, readyAt: startedAt + delay }));

/** Calls back with the value now when it is not a promise, so the fast mode never allocates one. */
const whenReady = <T>(value: Eventually<T>, onValue: (value: T) => void, onError: (error: unknown) => void): void => {
  if (value instanceof Promise) value.then(onValue, onError);
  else onValue(value);
};

/** Options of {@link runGenerations}. */
export interface RunGenerationsOptions {
  readonly context: TaskContext;
  readonly generations: readonly Generation[];
  /**
   * Builds one success item (without `status`). A rejection with a {@link ParamError} (an input
   * found bad only once decoded) fails the generation with that API-shaped error; any other
   * rejection with `processingFailed`.
   */
  readonly produce: (generation: Generation, index: number) => Eventually<DataItem>;
  /** Sync delivery: push each item once it is produced and its `readyAt` has come. Async: only record it. */
  readonly pushResults: boolean;
  /** Whether the results' files are outputs that `uploadEndpoint` PUTs; false for stored inputs (imageUpload) and trained models. Default true. */
  readonly uploadsOutputs?: boolean;
}

/**
 * Produces every generation of a task and records the outcome on it (for `getResponse`). For sync
 * delivery each item is pushed once it is produced and its time has come: generations due at the
 * same moment share one timer (one per task when they finish together), and with no delay and
 * synchronous production (fast mode) everything is pushed right away, without a timer. The
 * `generation` hook may fail a generation up front (provider-style failures), which then is
 * never produced; its error item is pushed at the time its result would have been. With
 * `uploadEndpoint`, a success's output files are PUT at that moment too (upload-outputs.ts).
 */
export const runGenerations = ({ context, generations, produce, pushResults, uploadsOutputs = true }: RunGenerationsOptions): void => {
  const { env } = context;
  const isProduced = (generation: Generation) => generation.result !== undefined || generation.failure !== undefined;
  // A task with a webhook answers on the socket as an async one (an ack, results kept for
  // getResponse), and each item is POSTed when it would have been pushed (see webhooks.ts).
  // A failed generation says so as getResponse says it (protocol §5.5): `status: "error"`.
  const webhook = webhookURLOf(context.task);
  if (webhook !== undefined && pushResults) acknowledge(context);
  const emit =
    webhook !== undefined
      ? (generation: Generation) => env.webhooks.send(webhook, generation.failure ? { ...generation.failure, status: 'error' } : { status: 'success', ...generation.result! })
      : pushResults
        ? (generation: Generation) => context.push(generation.failure ? failedItem(generation.failure, env.options.failureShape, context) : { data: [generation.result!] })
        : undefined;
  // A success's files are PUT when the result is ready, whatever its delivery (an async video
  // too), beside the result rather than before it: waiting on a receiver that keeps failing
  // would hold the result back for the whole retry schedule.
  const uploadTo = uploadsOutputs ? uploadEndpointOf(context.task) : undefined;
  const acts = emit !== undefined || uploadTo !== undefined;
  // A generation is sent once both hold: its delay has passed (due) and it is produced.
  const due = generations.map((generation) => generation.readyAt <= generation.startedAt);
  // Each generation is emitted once; after the last, a sync task has said all it will say.
  let unsent = generations.length;
  const send = (generation: Generation) => {
    if (uploadTo !== undefined && generation.result !== undefined) uploadOutputs(context, uploadTo, generation.result);
    if (emit === undefined) return;
    emit(generation);
    if (--unsent === 0) context.answered();
  };
  if (acts) scheduleDue(context, generations, (index) => {
    due[index] = true;
    if (isProduced(generations[index]!)) send(generations[index]!);
  });
  const settled = (index: number) => {
    if (acts && due[index]) send(generations[index]!);
  };

  const failureHook = env.hooks.generation;
  generations.forEach((generation, index) => {
    const injected = failureHook?.(context);
    if (injected !== undefined) {
      generation.failure = injected;
      settled(index);
      return;
    }
    whenReady(
      produce(generation, index),
      (item) => {
        generation.result = item;
        settled(index);
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        env.options.log(`${context.taskType} ${context.taskUUID} failed: ${message}`);
        generation.failure = error instanceof ParamError ? errorItem(context, error) : processingFailed(context, message);
        settled(index);
      },
    );
  });
};

/** One tracked timer per distinct delay above 0, calling `onDue` with each generation's index. */
const scheduleDue = (context: TaskContext, generations: readonly Generation[], onDue: (index: number) => void): void => {
  let byDelay: Map<number, number[]> | undefined;
  generations.forEach((generation, index) => {
    const delay = generation.readyAt - generation.startedAt;
    if (delay <= 0) return;
    byDelay ??= new Map();
    const group = byDelay.get(delay);
    if (group === undefined) byDelay.set(delay, [index]);
    else group.push(index);
  });
  if (byDelay === undefined) return;
  for (const [delay, group] of byDelay) {
    context.env.timers.after(delay, () => {
      for (const index of group) onDue(index);
    });
  }
};
