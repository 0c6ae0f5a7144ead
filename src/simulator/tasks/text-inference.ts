import { echo } from '../compact.js';
import type { SimulatorEnv } from '../env.js';
import type { TaskObject } from '../types.js';
import { randomSeed } from './generations.js';
import { ANY, checkFields, IMAGE, type MediaFields } from './inference-inputs.js';
import { ParamError } from './param-error.js';
import { invalidParam, optionalObject, readNested, readParams, readSeed, type ParamReader } from './params.js';
import { composeReply, type Reply, type ToolSpec } from './text-reply.js';
import { defineHandler, type TaskContext } from './task-handler.js';
import { streamAnswer, wordsOf, type StreamedAnswer } from './text-stream.js';
import { definePricedTool, priced, type Priced, roundPrice } from './tool-task.js';
import { isRecord } from '../is-record.js';

/** Validated `textInference` parameters (protocol §4.5, §10.2). */
interface TextParams extends Priced {
  readonly replies: readonly Reply[];
  readonly seeds: readonly number[];
  readonly includeUsage: boolean;
  readonly deliveryMethod: 'sync' | 'async' | 'stream';
}

const ROLES = ['user', 'assistant', 'tool'] as const;
const INPUTS: MediaFields = { single: [], lists: [['images', IMAGE], ['videos', ANY], ['documents', ANY]], objects: [] };
/** Made-up prices per token, stable: prompt tokens cheaper than completion tokens, as is usual. */
const PROMPT_PRICE = 0.000_000_5;
const COMPLETION_PRICE = 0.000_001_5;


/**
 * `messages`: 1 to 10 000 of `{ role: "user" | "assistant" | "tool", content: string }` (empty
 * only beside the `tools` an assistant message called), the last
 * from the user (or a tool's result, py-legacy's tool messages: unconfirmed). System prompts go in
 * `settings.systemPrompt`, not as a message (the reference lists no `system` role).
 */
const readMessages = (task: TaskObject): string[] => {
  const messages = task['messages'];
  if (messages === undefined || messages === null) throw new ParamError({ code: 'missingMessages', message: 'Missing messages parameter.', parameter: 'messages', type: 'array' });
  if (!Array.isArray(messages) || messages.length === 0 || messages.length > 10_000) throw invalidParam('messages', 'array', 'a list of 1 to 10000 messages', messages);
  const texts = messages.map((message: unknown, i) => {
    const path = `messages[${i}]`;
    if (!isRecord(message)) throw invalidParam(path, 'object', 'an object { role, content }', message);
    if (typeof message['role'] !== 'string' || !(ROLES as readonly string[]).includes(message['role'])) {
      throw new ParamError({ code: 'invalidRole', message: `Invalid value for ${path}.role parameter. It must be one of ${ROLES.join(', ')} (received ${echo(message['role'])}).`, parameter: `${path}.role`, type: 'string', allowedValues: ROLES });
    }
    const content = message['content'];
    // An assistant message carrying tool calls (py-legacy's `tools`) may have no text.
    if (typeof content !== 'string' || (content.length === 0 && !Array.isArray(message['tools']))) throw new ParamError({ code: 'invalidContent', message: `Invalid value for ${path}.content parameter. It must be a non-empty string (received ${echo(content)}).`, parameter: `${path}.content`, type: 'string' });
    return content;
  });
  const lastRole = (messages.at(-1) as Record<string, unknown>)['role'];
  if (lastRole === 'assistant') throw invalidParam('messages', 'array', 'a conversation whose last message is the user’s (or a tool’s result)', `…, { role: "assistant" }`);
  return texts;
};

/** `tools[]`: `{ name, description?, schema?, type? }` at the top level (`settings.tools` is the deprecated place). */
const readTools = (list: unknown, name: string): ToolSpec[] => {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw invalidParam(name, 'array', 'a list of tools { name, description, schema }', list);
  return list.map((tool: unknown, i) => {
    const path = `${name}[${i}]`;
    if (!isRecord(tool) || typeof tool['name'] !== 'string' || tool['name'] === '') throw invalidParam(path, 'object', 'a tool { name, description, schema } with a non-empty name', tool);
    const schema = tool['schema'] ?? tool['parameters'];
    if (schema !== undefined && !isRecord(schema)) throw invalidParam(`${path}.schema`, 'object', 'a JSON schema object', schema);
    return { name: tool['name'], schema };
  });
};

/**
 * `toolChoice`: `{ type, name? }`. `auto` and `none` leave the model free (it answers in text);
 * `any`/`required` force a call of the first tool; `tool`/`function` with a `name` force that one.
 * The type names are unconfirmed: these are the usual ones.
 */
const TOOL_CHOICES = ['auto', 'none', 'any', 'required', 'tool', 'function'] as const;
const readForcedTool = (task: TaskObject, tools: readonly ToolSpec[], env: SimulatorEnv): ToolSpec | undefined => {
  const choice = optionalObject(task, 'toolChoice');
  if (choice === undefined) return undefined;
  const read = readNested(task, 'toolChoice', env.options);
  const type = read.optionalChoice('toolChoice.type', TOOL_CHOICES) ?? (choice['name'] === undefined ? 'auto' : 'tool');
  if (type === 'auto' || type === 'none') return undefined;
  if (tools.length === 0) throw invalidParam('toolChoice', 'object', 'a choice among the tools of the request, which has none', choice);
  if (type === 'any' || type === 'required') return tools[0];
  const name = choice['name'];
  const tool = tools.find((candidate) => candidate.name === name);
  if (tool === undefined) {
    throw new ParamError({ code: 'invalidToolChoice', message: `Invalid value for toolChoice.name parameter. It must name one of the tools (received ${echo(name)}).`, parameter: 'toolChoice.name', type: 'string', allowedValues: tools.map((candidate) => candidate.name) });
  }
  return tool;
};

/** The generation settings, nested under `settings` or (js-legacy) at the top level; a nested value wins. */
const readGeneration = (read: ParamReader, nested: ParamReader, prefix: string) => {
  const pick = <T>(name: string, get: (reader: ParamReader, key: string) => T | undefined): T | undefined => get(nested, `${prefix}${name}`) ?? get(read, name);
  const maxTokens = pick('maxTokens', (reader, key) => reader.optionalInteger(key, { min: 1, max: 10_000_000 }));
  pick('temperature', (reader, key) => reader.optionalNumber(key, { min: 0, max: 2 }));
  pick('topP', (reader, key) => reader.optionalNumber(key, { min: 0, max: 1 }));
  pick('topK', (reader, key) => reader.optionalInteger(key, { min: 0, max: 100_000 }));
  pick('frequencyPenalty', (reader, key) => reader.optionalNumber(key, { min: -2, max: 2 }));
  pick('presencePenalty', (reader, key) => reader.optionalNumber(key, { min: -2, max: 2 }));
  const systemPrompt = pick('systemPrompt', optionalString);
  return { maxTokens, systemPrompt };
};

const optionalString = (reader: ParamReader, key: string): string | undefined => {
  try {
    return reader.string(key, { min: 0, max: 1_000_000 });
  } catch (error) {
    if (error instanceof ParamError && error.code.startsWith('missing')) return undefined;
    throw error;
  }
};

const readStops = (value: unknown, name: string): string[] => {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((stop) => typeof stop === 'string')) throw invalidParam(name, 'array', 'a list of strings', value);
  return value;
};

/**
 * `deliveryMethod`: `sync` (default) or `async`; `stream` where the transport can stream (a REST
 * request of this task alone, protocol §10.4), and then with one result only.
 */
const readTextDelivery = (read: ParamReader, task: TaskObject, canStream: boolean): TextParams['deliveryMethod'] => {
  if (!canStream && typeof task['deliveryMethod'] === 'string' && task['deliveryMethod'].toLowerCase() === 'stream') {
    throw new ParamError({
      code: 'unsupportedDeliveryMethod',
      message: 'Invalid value for deliveryMethod parameter. "stream" is answered over REST only (POST /v1 with this task alone in the array); use "sync" or "async" here.',
      parameter: 'deliveryMethod',
      type: 'string',
      allowedValues: ['sync', 'async'],
    });
  }
  const allowed = canStream ? (['sync', 'async', 'stream'] as const) : (['sync', 'async'] as const);
  const method = read.optionalChoice('deliveryMethod', allowed, 'unsupportedDeliveryMethod') ?? 'sync';
  if (method === 'stream' && task['numberResults'] !== undefined && task['numberResults'] !== 1) {
    throw invalidParam('numberResults', 'integer', '1 when streaming (deliveryMethod "stream")', task['numberResults']);
  }
  return method;
};

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
  const firstSeed = readSeed(read) ?? randomSeed();
  const includeUsage = read.optionalBoolean('includeUsage') ?? false;
  read.optionalChoice('outputFormat', ['TEXT'], 'unsupportedOutputFormat');
  const deliveryMethod = readTextDelivery(read, task, canStream);
  const seeds = Array.from({ length: numberResults }, (_, i) => firstSeed + i);
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
