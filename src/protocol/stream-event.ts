import { parseExactJson } from './exact-json.js';

/**
 * What one Server-Sent Event of a streamed `textInference` says (protocol §4.5, §10.4):
 * - `done`: `[DONE]`, the stream finished;
 * - `chunk`: a piece of the answer (`delta`) or its last event (`finishReason`, `usage`, `cost`);
 * - `errors`: the task failed mid-stream (`{"errors": [...]}` or `{"error": {...}}`): the event's
 *   text is then an ordinary frame of errors;
 * - `unreadable`: anything else.
 */
export type StreamPiece =
  | { readonly kind: 'done' }
  | { readonly kind: 'chunk'; readonly chunk: Readonly<Record<string, unknown>> }
  | { readonly kind: 'errors' }
  | { readonly kind: 'unreadable'; readonly reason: string };

const DONE: StreamPiece = { kind: 'done' };
const ERRORS: StreamPiece = { kind: 'errors' };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads one event's data. Tolerates an event wrapped as `{"data": {...}}`, as py-legacy does.
 *
 * @param data The event's `data` text.
 * @returns What it says.
 */
export function readStreamEvent(data: string): StreamPiece {
  if (data.trim() === '[DONE]') return DONE;
  let parsed: unknown;
  try {
    // Read as every frame is: an integer past 2^53 − 1 (a seed) is a BigInt of its digits.
    parsed = parseExactJson(data);
  } catch {
    return { kind: 'unreadable', reason: 'not JSON' };
  }
  if (!isObject(parsed)) return { kind: 'unreadable', reason: 'not a JSON object' };
  if ('errors' in parsed || 'error' in parsed) return ERRORS;
  const inner = parsed['data'];
  const chunk = isObject(inner) && !('delta' in parsed) && !('finishReason' in parsed) ? inner : parsed;
  return { kind: 'chunk', chunk };
}

/** The JSON value a text holds, or `undefined` when it holds none. */
const parsedOrUndefined = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/**
 * The chunks one event's data holds, each to be read with {@link readStreamEvent}. By the SSE
 * rules (WHATWG HTML, "Server-sent events") the data lines up to a blank line are one event, its
 * data those lines joined by "\n", and nothing is dispatched before the blank line. A server that
 * ends each chunk with a single newline therefore sends several chunks as one event, which
 * Runware's own clients, reading the stream line by line, never notice. Data that is one JSON
 * value (a chunk spread over several lines) is one chunk. Data that is not, and each of whose
 * lines is a JSON object or `[DONE]`, can only be those chunks in turn: reading it so guesses
 * nothing. Anything else is left whole, to be found unreadable.
 *
 * @param data The event's `data` text.
 * @returns Its chunks, in order.
 */
export function eventChunks(data: string): readonly string[] {
  if (!data.includes('\n') || parsedOrUndefined(data) !== undefined) return [data];
  const lines = data.split('\n');
  return lines.every((line) => line.trim() === '[DONE]' || isObject(parsedOrUndefined(line))) ? lines : [data];
}
