import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { deliveryMethod, fields, flag, httpUrl, integerIn, list, mediaInput, model, numberIn, oneOf, openObject, seed, text } from './fields.js';
import { fieldResult } from './result-readers.js';

const message = fields({
  role: oneOf(['system', 'user', 'assistant', 'tool']),
  content: v.union([text, list(openObject)], 'must be a string or a list of content parts'),
  id: v.optional(text),
  tools: v.optional(list(openObject)),
});

const generation = {
  maxTokens: v.optional(integerIn(1, 10_000_000)),
  temperature: v.optional(numberIn(0, 10)),
  topP: v.optional(numberIn(0, 1)),
  topK: v.optional(integerIn(0, 100_000)),
  stopSequences: v.optional(list(text)),
  systemPrompt: v.optional(text),
  frequencyPenalty: v.optional(numberIn(-10, 10)),
  presencePenalty: v.optional(numberIn(-10, 10)),
};

/**
 * Parameters of `textInference` over the WebSocket (sync or async): `messages`, tools at the top
 * (`settings.tools` is deprecated), `settings.cache`, and images, videos or documents under
 * `inputs`. Streaming is an HTTP feature of the API, not available over the WebSocket.
 */
const textInferenceSchema = v.strictObject({
  model,
  messages: list(message, 10_000),
  deliveryMethod,
  numberResults: v.optional(integerIn(1, 8)),
  seed: v.optional(seed),
  includeCost: v.optional(flag),
  includeUsage: v.optional(flag),
  tools: v.optional(list(openObject)),
  toolChoice: v.optional(openObject),
  settings: v.optional(
    fields({
      ...generation,
      thinking: v.optional(v.union([flag, openObject], 'must be true, false or an object')),
      thinkingLevel: v.optional(text),
      cache: v.optional(fields({ scope: v.optional(oneOf(['system', 'system+history'])), ttl: v.optional(oneOf(['5m', '1h'])) })),
      tools: v.optional(list(openObject)),
    }),
  ),
  // Top-level generation settings, as the legacy JS SDK sends them.
  ...generation,
  inputs: v.optional(fields({ images: v.optional(list(mediaInput)), videos: v.optional(list(mediaInput)), documents: v.optional(list(mediaInput)) })),
  providerSettings: v.optional(openObject),
  outputFormat: v.optional(oneOf(['TEXT'], true)),
  webhookURL: v.optional(httpUrl),
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
  readonly seed?: number;
  readonly cost?: number;
  readonly status?: string;
}

/** `textInference`: text from a language model, one result per `numberResults`. */
export const textInference = defineTask({
  name: 'textInference',
  aliases: ['text'],
  taskType: 'textInference',
  params: textInferenceSchema,
  delivery: 'push',
  count: 'numberResults',
  result: fieldResult<TextInferenceResult>('text'),
});
