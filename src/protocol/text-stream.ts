import type { DataItem } from './frames.js';

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
    parsed = JSON.parse(data);
  } catch {
    return { kind: 'unreadable', reason: 'not JSON' };
  }
  if (!isObject(parsed)) return { kind: 'unreadable', reason: 'not a JSON object' };
  if ('errors' in parsed || 'error' in parsed) return ERRORS;
  const inner = parsed['data'];
  const chunk = isObject(inner) && !('delta' in parsed) && !('finishReason' in parsed) ? inner : parsed;
  return { kind: 'chunk', chunk };
}

/**
 * Assembles a streamed answer: each chunk becomes the items a route delivers, the piece itself
 * (an intermediate item) and, once the answer is complete, the whole result, its `text` (and
 * `reasoningContent`) the pieces joined, with the fields of the last event (`finishReason`, `usage`,
 * `cost`) and of any event that carries no piece, as the same task answered without streaming would read.
 */
export class TextAssembly {
  private text = '';
  private reasoning: string | undefined;
  private last: Readonly<Record<string, unknown>> | undefined;
  /** Whether the whole result has been made. */
  finished = false;

  constructor(
    private readonly taskType: string,
    private readonly taskUUID: string,
  ) {}

  /**
   * Takes one chunk.
   *
   * @param chunk The event's object.
   * @returns The items it makes: the piece, then the result when it was the last event.
   */
  add(chunk: Readonly<Record<string, unknown>>): DataItem[] {
    // After the last event nothing more belongs to the answer.
    if (this.finished) return [];
    const items: DataItem[] = [];
    const { delta } = chunk;
    if (isObject(delta)) {
      if (typeof delta['text'] === 'string') this.text += delta['text'];
      if (typeof delta['reasoningContent'] === 'string') this.reasoning = (this.reasoning ?? '') + delta['reasoningContent'];
      items.push({ ...chunk, taskType: this.taskType, taskUUID: this.taskUUID });
    }
    // What an event says besides a piece (usage, cost) belongs to the result, whichever event says
    // it; the last event is the one that says how the answer ended. An event with neither a piece
    // nor a finishReason does not end the answer: [DONE] does, as Runware's own SDK reads a stream.
    const ends = typeof chunk['finishReason'] === 'string';
    if (ends) this.last = { ...this.last, ...chunk };
    else if (!isObject(delta)) {
      // A status on the way ("processing") is not the result's: it would read as still running.
      const { status: _status, ...said } = chunk;
      this.last = { ...this.last, ...said };
    }
    if (ends) items.push(this.result());
    return items;
  }

  /**
   * The whole result, once: at the last event, or at `[DONE]` when no last event came.
   *
   * @returns The result item, or nothing when it was made already.
   */
  end(): DataItem[] {
    return this.finished ? [] : [this.result()];
  }

  private result(): DataItem {
    this.finished = true;
    const { delta: _delta, data: _data, ...last } = this.last ?? {};
    const result: Record<string, unknown> = { ...last, taskType: this.taskType, taskUUID: this.taskUUID, text: this.text };
    if (this.reasoning !== undefined) result['reasoningContent'] = this.reasoning;
    return result as DataItem;
  }
}
