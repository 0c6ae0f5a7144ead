import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { fields, flag, httpUrl, integerIn, list, mediaInput, model, numberIn, oneOf, openObject, seed, text } from './fields.js';
import type { ValidationIssue } from '../errors/validation-error.js';
import { readResults } from './result-readers.js';

// The reference's roles: user and assistant, and py-legacy's tool messages. A system prompt is
// `settings.systemPrompt`; images, videos and documents go under `inputs`, not in the content.
const message = fields({
  role: oneOf(['user', 'assistant', 'tool']),
  content: text,
  id: v.nullish(text),
  tools: v.nullish(list(openObject)),
});

const generation = {
  maxTokens: v.nullish(integerIn(1, 10_000_000)),
  temperature: v.nullish(numberIn(0, 10)),
  topP: v.nullish(numberIn(0, 1)),
  topK: v.nullish(integerIn(0, 100_000)),
  stopSequences: v.nullish(list(text)),
  systemPrompt: v.nullish(text),
  frequencyPenalty: v.nullish(numberIn(-10, 10)),
  presencePenalty: v.nullish(numberIn(-10, 10)),
};

/**
 * Parameters of `textInference`: `messages`, tools at the top (`settings.tools` is deprecated),
 * `settings.cache`, and images, videos or documents under `inputs`. `deliveryMethod: "stream"`
 * streams the answer piece by piece; the API streams over HTTP only, so such a request goes to its
 * HTTP endpoint, the others over the WebSocket.
 */
const textInferenceSchema = v.strictObject({
  model,
  messages: list(message, 10_000),
  deliveryMethod: v.nullish(oneOf(['sync', 'async', 'stream'])),
  numberResults: v.nullish(integerIn(1, 8)),
  seed: v.nullish(seed),
  includeCost: v.nullish(flag),
  includeUsage: v.nullish(flag),
  tools: v.nullish(list(openObject)),
  toolChoice: v.nullish(openObject),
  settings: v.nullish(
    fields({
      ...generation,
      thinking: v.nullish(v.union([flag, openObject], 'must be true, false or an object')),
      thinkingLevel: v.nullish(text),
      cache: v.nullish(fields({ scope: v.nullish(oneOf(['system', 'system+history'])), ttl: v.nullish(oneOf(['5m', '1h'])) })),
      tools: v.nullish(list(openObject)),
    }),
  ),
  // Top-level generation settings, as the legacy JS SDK sends them.
  ...generation,
  inputs: v.nullish(fields({ images: v.nullish(list(mediaInput)), videos: v.nullish(list(mediaInput)), documents: v.nullish(list(mediaInput)) })),
  providerSettings: v.nullish(openObject),
  outputFormat: v.nullish(oneOf(['TEXT'], true)),
  webhookURL: v.nullish(httpUrl),
});

/** What `textInference` accepts. */
export type TextInferenceParams = ParamsOf<typeof textInference>;

/** Token counts of a text generation. */
export interface TextUsage {
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  readonly totalTokens?: number;
  readonly thinkingTokens?: number;
  readonly completionTokensDetails?: Readonly<Record<string, unknown>>;
  readonly costBreakdown?: Readonly<Record<string, unknown>>;
}

/** One generated text. */
export interface TextInferenceResult {
  readonly taskType: 'textInference';
  readonly taskUUID: string;
  readonly text: string;
  readonly finishReason?: 'stop' | 'length' | 'content_filter' | 'tool_calls' | 'tool_use' | 'unknown' | (string & {});
  readonly usage?: TextUsage;
  readonly reasoningContent?: string;
  readonly thoughtSignature?: string;
  /** The seed it was made with: a BigInt past 2^53 − 1 (`Number.MAX_SAFE_INTEGER`), where a number is not exact. */
  readonly seed?: number | bigint;
  readonly cost?: number;
  readonly status?: string;
}

/** A piece of a streamed answer: a `partial` event's item (`deliveryMethod: "stream"`). */
export interface TextInferenceDelta {
  readonly taskType: 'textInference';
  readonly taskUUID: string;
  /** The text (or the reasoning) that follows what came before; the pieces joined are the result's. */
  readonly delta: { readonly text?: string; readonly reasoningContent?: string };
}

/** A stream makes one answer, and its pieces reach the caller, not a webhook (ts-new: stream supports one result). */
function checkStream(params: Readonly<Record<string, unknown>>): ValidationIssue[] {
  if (params['deliveryMethod'] !== 'stream') return [];
  const issues: ValidationIssue[] = [];
  const count = params['numberResults'];
  if (typeof count === 'number' && count > 1) issues.push({ path: 'numberResults', message: 'a streamed answer is one result: numberResults must be 1 with deliveryMethod "stream"' });
  if (params['webhookURL'] !== undefined && params['webhookURL'] !== null) issues.push({ path: 'webhookURL', message: 'a streamed answer comes to the caller: webhookURL cannot be used with deliveryMethod "stream"' });
  return issues;
}

/**
 * `textInference`: text from a language model, one result per `numberResults`. Streamed
 * (`deliveryMethod: "stream"`), it reports each piece as a `partial` event and ends with the
 * whole result, its text the pieces joined.
 */
export const textInference = defineTask({
  name: 'textInference',
  aliases: ['text'],
  taskType: 'textInference',
  params: textInferenceSchema,
  delivery: 'push',
  count: 'numberResults',
  check: checkStream,
  result: readResults<TextInferenceResult, TextInferenceDelta>({
    isResult: (item) => item['text'] !== undefined && item['text'] !== null,
    isPartial: (item) => typeof item['delta'] === 'object' && item['delta'] !== null,
  }),
});
