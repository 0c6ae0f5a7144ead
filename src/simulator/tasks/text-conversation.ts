import { echo } from '../compact.js';
import type { SimulatorEnv } from '../env.js';
import { isRecord } from '../is-record.js';
import type { TaskObject } from '../types.js';
import { ParamError } from './param-error.js';
import { invalidParam, optionalObject, readNested } from './params.js';
import type { ToolSpec } from './text-reply.js';

/** What a `textInference` asks to be answered (protocol §4.5, §10.2): its messages, its tools and the tool it forces. */

const ROLES = ['user', 'assistant', 'tool'] as const;

/**
 * `messages`: 1 to 10 000 of `{ role: "user" | "assistant" | "tool", content: string }` (empty
 * only beside the `tools` an assistant message called), the last
 * from the user (or a tool's result, py-legacy's tool messages: unconfirmed). System prompts go in
 * `settings.systemPrompt`, not as a message (the reference lists no `system` role).
 */
export const readMessages = (task: TaskObject): string[] => {
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
export const readTools = (list: unknown, name: string): ToolSpec[] => {
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
export const readForcedTool = (task: TaskObject, tools: readonly ToolSpec[], env: SimulatorEnv): ToolSpec | undefined => {
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
