import type { SimulatorEnv } from '../env.js';
import type { Seed, TaskObject } from '../types.js';
import { ANY, checkFields, IMAGE, type MediaFields } from './inference-inputs.js';
import { invalidParam, optionalObject, readNested, readParams } from './params.js';
import { randomSeed, readSeed, seedAt } from './seed.js';
import { readForcedTool, readMessages, readTools } from './text-conversation.js';
import { composeReply, type Reply } from './text-reply.js';
import { optionalString, readGeneration, readStops, readTextDelivery, type TextDelivery } from './text-settings.js';
import { defineHandler, type TaskContext } from './task-handler.js';
import { streamAnswer, wordsOf, type StreamedAnswer } from './text-stream.js';
import { definePricedTool, priced, type Priced, roundPrice } from './tool-task.js';
import { isRecord } from '../is-record.js';

/** Validated `textInference` parameters (protocol §4.5, §10.2). */
interface TextParams extends Priced {
  readonly replies: readonly Reply[];
  readonly seeds: readonly Seed[];
  readonly includeUsage: boolean;
  readonly deliveryMethod: TextDelivery;
}

const INPUTS: MediaFields = { single: [], lists: [['images', IMAGE], ['videos', ANY], ['documents', ANY]], objects: [] };
/** Made-up prices per token, stable: prompt tokens cheaper than completion tokens, as is usual. */
const PROMPT_PRICE = 0.000_000_5;
const COMPLETION_PRICE = 0.000_001_5;

const parseText = (task: TaskObject, env: SimulatorEnv, canStream: boolean): TextParams => {
  const read = readParams(task, env.options);
  read.model();
  const messages = readMessages(task);
  const settingsObject = optionalObject(task, 'settings') ?? {};
  const settings = readNested(task, 'settings', env.options);
  const { maxTokens, systemPrompt } = readGeneration(read, settings, 'settings.');
  const stopSequences = settingsObject['stopSequences'] !== undefined ? readStops(settingsObject['stopSequences'], 'settings.stopSequences') : readStops(task['stopSequences'], 'stopSequences');
  const thinking = settingsObject['thinking'];
  if (thinking !== undefined && thinking !== null && typeof thinking !== 'boolean' && !isRecord(thinking)) throw invalidParam('settings.thinking', 'boolean', 'true, false or an object', thinking);
  const thinkingLevel = settingsObject['thinkingLevel'] === undefined ? undefined : optionalString(settings, 'settings.thinkingLevel');
  const reasoning = thinking === true || isRecord(thinking) || (thinkingLevel !== undefined && thinkingLevel !== 'none');
  if (settingsObject['cache'] !== undefined) {
    const cache = readNested(settingsObject, 'cache', env.options, 'settings.cache');
    cache.optionalChoice('settings.cache.scope', ['system', 'system+history']);
    cache.optionalChoice('settings.cache.ttl', ['5m', '1h']);
  }
  const tools = task['tools'] !== undefined ? readTools(task['tools'], 'tools') : readTools(settingsObject['tools'], 'settings.tools');
  const forcedTool = readForcedTool(task, tools, env);
  const inputs = optionalObject(task, 'inputs');
  if (inputs !== undefined) checkFields(inputs, 'inputs.', INPUTS, env);
  const numberResults = read.optionalInteger('numberResults', { min: 1, max: 8 }) ?? 1;
  const firstSeed = readSeed(task) ?? randomSeed();
  const includeUsage = read.optionalBoolean('includeUsage') ?? false;
  read.optionalChoice('outputFormat', ['TEXT'], 'unsupportedOutputFormat');
  const deliveryMethod = readTextDelivery(read, task, canStream);
  const seeds = Array.from({ length: numberResults }, (_, i) => seedAt(firstSeed, i));
  const replies = seeds.map((seed) => composeReply({ messages, systemPrompt, seed, maxTokens, stopSequences, reasoning, forcedTool, tools }));
  const price = replies.reduce((sum, reply) => sum + reply.promptTokens * PROMPT_PRICE + reply.completionTokens * COMPLETION_PRICE, 0);
  return { replies, seeds, includeUsage, deliveryMethod, ...priced(read, price) };
};

/** The result item of one reply: its text and why it ended, its usage (which adds up), its reasoning and tool call. */
const resultOf = (reply: Reply, params: TextParams): Record<string, unknown> => {
  const cost = roundPrice(reply.promptTokens * PROMPT_PRICE + reply.completionTokens * COMPLETION_PRICE);
  const usage = {
    promptTokens: reply.promptTokens,
    completionTokens: reply.completionTokens,
    totalTokens: reply.promptTokens + reply.completionTokens,
    ...(reply.thinkingTokens > 0 ? { thinkingTokens: reply.thinkingTokens, completionTokensDetails: { reasoningTokens: reply.thinkingTokens } } : {}),
    ...(params.includeCost ? { costBreakdown: { input: roundPrice(reply.promptTokens * PROMPT_PRICE), output: roundPrice(reply.completionTokens * COMPLETION_PRICE) } } : {}),
  };
  return {
    text: reply.text,
    finishReason: reply.finishReason,
    ...(reply.toolCalls === undefined ? {} : { tools: reply.toolCalls }),
    ...(reply.reasoningContent === undefined ? {} : { reasoningContent: reply.reasoningContent }),
    ...(params.includeUsage ? { usage } : {}),
    ...(params.includeCost ? { cost } : {}),
  };
};

/**
 * `textInference` over the WebSocket (sync by default, or async): `numberResults` replies,
 * `{ taskType, taskUUID, text, finishReason, seed, usage?, reasoningContent?, tools?, cost? }`,
 * composed deterministically from the messages (`text-reply.ts`). `usage` (with `includeUsage`)
 * adds up: `promptTokens + completionTokens = totalTokens`, reasoning counted in the completion.
 * A forced `toolChoice` answers with an empty `text`, `finishReason: "tool_calls"` and
 * `tools: [{ id, name, input }]`, the shape of py-legacy's assistant tool messages (unconfirmed).
 */
const textTool = definePricedTool<TextParams>({
  parse: (task, context) => parseText(task, context.env, context.stream !== undefined),
  answer(params, context) {
    const { taskType, taskUUID } = context;
    return {
      deliveryMethod: params.deliveryMethod === 'async' ? 'async' : 'sync',
      results: params.replies.length,
      firstSeed: params.seeds[0]!,
      produce: (index, seed) => ({ taskType, taskUUID, ...resultOf(params.replies[index]!, params), seed }),
    };
  },
});

/** The events of a streamed reply: reasoning first, then the text, word by word; usage and cost on the last (§10.4). */
const streamedAnswer = (params: TextParams, { taskType, taskUUID }: TaskContext): StreamedAnswer => {
  const reply = params.replies[0]!;
  const seed = params.seeds[0]!;
  const { text: _text, reasoningContent: _reasoning, ...last } = resultOf(reply, { ...params, includeUsage: true, includeCost: true });
  return {
    seed,
    cost: params.price,
    deltas: [
      ...wordsOf(reply.reasoningContent ?? '').map((reasoningContent) => ({ reasoningContent })),
      ...wordsOf(reply.text).map((text) => ({ text })),
    ],
    last: { ...last, seed },
    result: { taskType, taskUUID, ...resultOf(reply, params), seed },
  };
};

/**
 * `textInference`: over the WebSocket and REST as {@link textTool}; a REST request of this task
 * alone may ask `deliveryMethod: "stream"` and is then answered as Server-Sent Events (`text-stream.ts`).
 */
export const textInference = defineHandler<TextParams>({
  createsTask: true,
  parse: (task, context) => textTool.parse(task, context) as TextParams,
  price: (params) => params.price,
  run(params, context) {
    if (params.deliveryMethod === 'stream' && context.stream !== undefined) streamAnswer(context, context.stream, streamedAnswer(params, context));
    else textTool.run(params, context);
  },
});
