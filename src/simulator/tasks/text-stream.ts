import type { EventStream } from '../event-stream.js';
import type { DataItem, Seed } from '../types.js';
import { plannedGenerations } from './generations.js';
import { rememberTask } from './remember.js';
import type { TaskContext } from './task-handler.js';

/** One piece of a streamed answer (protocol §4.5): a few characters of the text or of the reasoning. */
export type Delta = { readonly text: string } | { readonly reasoningContent: string };

/** What a streamed answer is made of. */
export interface StreamedAnswer {
  readonly seed: Seed;
  /** What the task costs, in USD (charged to the account). */
  readonly cost: number;
  /** The events' `delta`s, in order. */
  readonly deltas: readonly Delta[];
  /** The last event's fields besides taskType and taskUUID: `finishReason`, `usage`, `cost`, … */
  readonly last: Readonly<Record<string, unknown>>;
  /** The whole result, as getResponse and getTaskDetails report the task afterwards. */
  readonly result: DataItem;
}

/** Past this long without an event, a `:` comment keeps proxies and clients from timing out. */
export const KEEP_ALIVE_MS = 10_000;

/** A text cut before each word (the whitespace stays with the word before it), so the pieces add up to it. */
export const wordsOf = (text: string): string[] => text.split(/(?<=\s)(?=\S)/).filter((piece) => piece !== '');

/**
 * Streams an answer as Server-Sent Events over the task's latency: the deltas spread evenly over
 * it, the last event when the generation is ready, then `[DONE]`. The task is remembered like any
 * other (conflicts, getResponse, getTaskDetails, the account), and the `generation` hook applies:
 * an injected failure stops the deltas halfway, and the error event comes when the result would
 * have, as a provider that stalls mid-answer and then fails. With no latency (fast mode) every event is written at once.
 */
export const streamAnswer = (context: TaskContext, stream: EventStream, answer: StreamedAnswer): void => {
  const { env, session, taskType, taskUUID } = context;
  const now = env.now();
  const [generation] = plannedGenerations(answer.seed, env.latency.delays(session, env.options.imageLatencyMs, 1), now);
  rememberTask(context, [generation!], answer.cost, now);
  // The status and headers leave now, so the client knows the task was taken before any text.
  stream.comment('stream open');
  const failure = env.hooks.generation?.(context);
  const { deltas } = answer;
  const count = failure === undefined ? deltas.length : Math.floor(deltas.length / 2);
  const { startedAt, readyAt } = generation!;
  const dueAt = (index: number) => startedAt + ((readyAt - startedAt) * (index + 1)) / (deltas.length + 1);
  let sent = 0;

  const end = () => {
    if (failure !== undefined) {
      generation!.failure = failure;
      stream.fail({ ...failure, status: 'error' });
    } else {
      generation!.result = answer.result;
      stream.send({ taskType, taskUUID, ...answer.last });
      stream.finish();
    }
    context.answered();
  };
  const tick = () => {
    const at = env.now();
    while (sent < count && dueAt(sent) <= at) stream.send({ taskType, taskUUID, delta: deltas[sent++] });
    // The last event, a failure's too, leaves when the generation is due, so that getResponse
    // reports the task finished (or failed) from the moment its stream ends.
    const nextAt = sent < count ? dueAt(sent) : readyAt;
    if (nextAt <= at) return end();
    const wait = Math.ceil(nextAt - at);
    if (wait <= KEEP_ALIVE_MS) return void env.timers.after(wait, tick);
    env.timers.after(KEEP_ALIVE_MS, () => {
      stream.comment('keep-alive');
      tick();
    });
  };
  tick();
};
