import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { deliveryMethod, fields, flag, httpUrl, integerIn, list, mediaInput, model, numberIn, oneOf, openObject, seed, text } from './fields.js';
import { fieldResult } from './result-readers.js';

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
 * Parameters of `textInference` over the WebSocket (sync or async): `messages`, tools at the top
 * (`settings.tools` is deprecated), `settings.cache`, and images, videos or documents under
 * `inputs`. Streaming is an HTTP feature of the API, not available over the WebSocket.
 */
const textInferenceSchema = v.strictObject({
  model,
  messages: list(message, 10_000),
  deliveryMethod,
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
