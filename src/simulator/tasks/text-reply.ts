import { hashString } from '../media/prng.js';
import { mulberry32 } from '../random.js';
import type { Seed } from '../types.js';
import { writeExactJson } from '../exact-json.js';

/**
 * What the simulated language model says: a deterministic function of the conversation, the
 * seed and the settings. The reply quotes the last message and continues with sentences drawn
 * from a stream seeded by the whole conversation, so the same request always gets the same
 * answer and a different conversation a different one; `maxTokens` and `stopSequences` cut it
 * as a model's would (`finishReason` `length` or `stop`). Tokens are counted as words and
 * punctuation marks, which is what the usage figures are made of.
 */

/** A tool a request offers (`tools[]`, protocol §10.2). */
export interface ToolSpec {
  readonly name: string;
  readonly schema: Readonly<Record<string, unknown>> | undefined;
}

/** What the reply is made from. */
export interface Conversation {
  /** Every message's text, in order; the last is what the model answers. */
  readonly messages: readonly string[];
  readonly systemPrompt: string | undefined;
  readonly seed: Seed;
  readonly maxTokens: number | undefined;
  readonly stopSequences: readonly string[];
  /** Whether the model thinks aloud first (`reasoningContent`). */
  readonly reasoning: boolean;
  /** The tool the model must call, if `toolChoice` forces one. */
  readonly forcedTool: ToolSpec | undefined;
  /** Every tool offered, whose definitions count as prompt tokens. */
  readonly tools: readonly ToolSpec[];
}

/** A tool call: the id a tool result refers back to, the tool, and its arguments. */
export interface ToolCall {
  readonly id: string;
  readonly name: string;
  readonly input: Record<string, unknown>;
}

/** The model's answer. */
export interface Reply {
  readonly text: string;
  readonly finishReason: 'stop' | 'length' | 'tool_calls';
  readonly reasoningContent: string | undefined;
  readonly toolCalls: readonly ToolCall[] | undefined;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly thinkingTokens: number;
}

const TOKEN = /[\p{L}\p{N}_']+|[^\s\p{L}\p{N}_']/gu;

/** Tokens as the simulator counts them: words and punctuation marks. */
export const countTokens = (text: string): number => text.match(TOKEN)?.length ?? 0;

/** The first `count` tokens of a text, with the text between them kept as it was. */
const firstTokens = (text: string, count: number): string => {
  if (count <= 0) return '';
  let seen = 0;
  for (const match of text.matchAll(TOKEN)) {
    seen += 1;
    if (seen === count) return text.slice(0, match.index + match[0].length);
  }
  return text;
};

const OPENINGS = ['Here is a short answer.', 'Good question.', 'Let me put it simply.', 'In brief:', 'To answer directly:'];
const SENTENCES = [
  'The simulator answers every request the same way for the same conversation and seed.',
  'It counts words and punctuation marks as tokens, so the usage figures add up.',
  'A real model would reason about the question; this one composes a deterministic reply.',
  'Each sentence is drawn from a fixed list by a generator seeded with the conversation.',
  'Longer limits give longer answers, up to a handful of sentences.',
  'Nothing here depends on the clock, the machine or the order of other requests.',
  'Stop sequences and token limits cut the reply as they would cut a model’s.',
  'Tool definitions and the system prompt count towards the prompt tokens.',
];
const THOUGHTS = ['The user asks about', 'I should answer briefly and clearly.', 'Nothing in the conversation calls for a tool.', 'A deterministic reply is enough here.'];

const quote = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= 80 ? flat : `${flat.slice(0, 79)}…`;
};

/** A plausible argument of a JSON-schema type: the first enum value, or a value of its type. */
const exampleOf = (schema: unknown, hint: string): unknown => {
  const node = (typeof schema === 'object' && schema !== null ? schema : {}) as Record<string, unknown>;
  if (Array.isArray(node['enum']) && node['enum'].length > 0) return node['enum'][0];
  switch (node['type']) {
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [exampleOf(node['items'], hint)];
    case 'object':
      return argumentsFor(node, hint);
    default:
      return hint;
  }
};

/** Arguments for a tool's schema: every property (required or not) given an example value. */
const argumentsFor = (schema: Readonly<Record<string, unknown>> | undefined, hint: string): Record<string, unknown> => {
  const properties = schema?.['properties'];
  if (typeof properties !== 'object' || properties === null) return {};
  return Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, exampleOf(property, hint)]));
};

/**
 * Composes the reply to a conversation.
 *
 * @param conversation The messages, seed and settings.
 * @returns The text, why it ended, the reasoning and tool call when asked, and the token counts.
 */
export const composeReply = (conversation: Conversation): Reply => {
  const key = [conversation.seed, conversation.systemPrompt ?? '', ...conversation.messages].join('\u0000');
  const random = mulberry32(hashString(key));
  const last = conversation.messages.at(-1) ?? '';
  const promptTokens =
    conversation.messages.reduce((sum, message) => sum + countTokens(message), 0) +
    countTokens(conversation.systemPrompt ?? '') +
    conversation.tools.reduce((sum, tool) => sum + countTokens(`${tool.name} ${writeExactJson(tool.schema ?? {})}`), 0);
  const reasoningContent = conversation.reasoning ? `${THOUGHTS[0]} “${quote(last)}”. ${THOUGHTS.slice(1).join(' ')}` : undefined;
  const thinkingTokens = reasoningContent === undefined ? 0 : countTokens(reasoningContent);

  if (conversation.forcedTool !== undefined) {
    const { name, schema } = conversation.forcedTool;
    const toolCalls = [{ id: `call_${hashString(`${key}\u0000${name}`).toString(16)}`, name, input: argumentsFor(schema, quote(last)) }];
    return { text: '', finishReason: 'tool_calls', reasoningContent, toolCalls, promptTokens, completionTokens: thinkingTokens + countTokens(writeExactJson(toolCalls)), thinkingTokens };
  }

  const sentences = [OPENINGS[Math.floor(random() * OPENINGS.length)]!, `You wrote: “${quote(last)}”.`];
  const more = 2 + Math.floor(random() * 3);
  for (let i = 0; i < more; i++) sentences.push(SENTENCES[Math.floor(random() * SENTENCES.length)]!);
  let text = sentences.join(' ');
  let finishReason: Reply['finishReason'] = 'stop';
  for (const stop of conversation.stopSequences) {
    const at = stop === '' ? -1 : text.indexOf(stop);
    if (at >= 0) text = text.slice(0, at);
  }
  // The limit covers what the model writes, its reasoning included.
  const budget = conversation.maxTokens === undefined ? Infinity : Math.max(0, conversation.maxTokens - thinkingTokens);
  if (countTokens(text) > budget) {
    text = firstTokens(text, budget);
    finishReason = 'length';
  }
  return { text, finishReason, reasoningContent, toolCalls: undefined, promptTokens, completionTokens: thinkingTokens + countTokens(text), thinkingTokens };
};
