import type { DataItem } from './frames.js';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What a task's streams have delivered of its answer, across its attempts. A stream cut short is
 * sent again under its taskUUID; a server that then streams the answer again from its start
 * repeats what was delivered, which is not delivered twice.
 */
export interface ShownAnswer {
  text: string;
  reasoning: string;
}

/** A stream sent again that says other words than those delivered, or ends before it said them all. */
export interface Divergence {
  /** The field that differs. */
  readonly diverged: 'text' | 'reasoningContent';
}

/** The items a chunk makes, or why the stream cannot be delivered. */
export type Assembled = DataItem[] | Divergence;

/**
 * What of a piece is not delivered yet, given what this stream said before it and what was
 * delivered: all of it past the end of what was delivered, the rest of it where it overlaps.
 *
 * @returns The piece's new end (empty when all of it was delivered), or `undefined` when it
 *   says other words than those delivered at its place.
 */
function unseen(before: number, piece: string, shown: string): string | undefined {
  if (before >= shown.length) return piece;
  const seen = shown.slice(before, before + piece.length);
  return piece.startsWith(seen) ? piece.slice(seen.length) : undefined;
}

/**
 * Assembles a streamed answer: each chunk becomes the items a route delivers, the piece itself
 * (an intermediate item) and, once the answer is complete, the whole result, its `text` (and
 * `reasoningContent`) the pieces joined, with the fields of the last event (`finishReason`, `usage`,
 * `cost`) and of any event that carries no piece, as the same task answered without streaming would read.
 * A piece, or the part of one, that an earlier stream of the task delivered (`shown`) is not
 * delivered again; the result is this stream's whole answer.
 *
 * A stream sent again is read as starting from the start of the answer, never as resuming where
 * the cut left it. The protocol says nothing of resuming (§4.5, §10.4: no event ids, no
 * `Last-Event-ID`, no offset on chunks; Runware answers a re-sent stream with `conflictTaskUUID`),
 * and a stream that resumed cannot be told from one that restarted without guessing: after "ha"
 * was shown, a stream that says "ha!" may be "haha!" resumed or "ha!" restarted, and one that
 * says "ppy" may be "happy" resumed or another answer. Appending on a guess could show a caller
 * words the answer never had, so a stream that does not repeat what was shown is another answer
 * (`Divergence`), refused rather than mixed in (shown-answers.ts).
 */
export class TextAssembly {
  private text = '';
  private reasoning: string | undefined;
  private last: Readonly<Record<string, unknown>> | undefined;
  /** Whether the whole result has been made, or the stream diverged: nothing more is made. */
  finished = false;

  constructor(
    private readonly taskType: string,
    private readonly taskUUID: string,
    private readonly shown: ShownAnswer = { text: '', reasoning: '' },
  ) {}

  /**
   * Takes one chunk.
   *
   * @param chunk The event's object.
   * @returns The items it makes: the piece (unless all of it was delivered), then the result when
   *   it was the last event; or the divergence from what was delivered.
   */
  add(chunk: Readonly<Record<string, unknown>>): Assembled {
    // After the last event nothing more belongs to the answer.
    if (this.finished) return [];
    const items: DataItem[] = [];
    const { delta } = chunk;
    if (isObject(delta)) {
      const piece = this.piece(delta);
      if (!isObject(piece)) return piece === undefined ? [] : this.diverge(piece);
      items.push({ ...chunk, delta: piece, taskType: this.taskType, taskUUID: this.taskUUID });
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
    if (!ends) return items;
    const result = this.result();
    if (!Array.isArray(result)) return result;
    return [...items, ...result];
  }

  /**
   * The whole result, once: at the last event, or at `[DONE]` when no last event came.
   *
   * @returns The result item, nothing when it was made already, or the divergence when the
   *   answer ends before what was delivered.
   */
  end(): Assembled {
    return this.finished ? [] : this.result();
  }

  /**
   * Adds a delta's text and reasoning to the answer, and says what of them to deliver.
   *
   * @returns The delta to deliver (its text and reasoning only what was not delivered), `undefined`
   *   when all of its text and reasoning were, or the field that says other words.
   */
  private piece(delta: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> | Divergence['diverged'] | undefined {
    const { text, reasoningContent } = delta;
    const fresh: Record<string, unknown> = { ...delta };
    let repeated = false;
    if (typeof text === 'string') {
      const rest = unseen(this.text.length, text, this.shown.text);
      if (rest === undefined) return 'text';
      this.text += text;
      this.shown.text += rest;
      repeated = rest !== text;
      if (repeated) fresh['text'] = rest === '' ? undefined : rest;
    }
    if (typeof reasoningContent === 'string') {
      const before = this.reasoning ?? '';
      const rest = unseen(before.length, reasoningContent, this.shown.reasoning);
      if (rest === undefined) return 'reasoningContent';
      this.reasoning = before + reasoningContent;
      this.shown.reasoning += rest;
      if (rest !== reasoningContent) {
        repeated = true;
        fresh['reasoningContent'] = rest === '' ? undefined : rest;
      }
    }
    if (!repeated) return fresh;
    // A piece the stream repeats whole is not delivered again; of one it repeats in part, the new end.
    if (fresh['text'] === undefined) delete fresh['text'];
    if (fresh['reasoningContent'] === undefined) delete fresh['reasoningContent'];
    return fresh['text'] === undefined && fresh['reasoningContent'] === undefined ? undefined : fresh;
  }

  private diverge(diverged: Divergence['diverged']): Divergence {
    this.finished = true;
    return { diverged };
  }

  private result(): Assembled {
    // An answer shorter than what was delivered is another answer.
    if (this.text.length < this.shown.text.length) return this.diverge('text');
    if ((this.reasoning ?? '').length < this.shown.reasoning.length) return this.diverge('reasoningContent');
    this.finished = true;
    const { delta: _delta, data: _data, ...last } = this.last ?? {};
    const result: Record<string, unknown> = { ...last, taskType: this.taskType, taskUUID: this.taskUUID, text: this.text };
    if (this.reasoning !== undefined) result['reasoningContent'] = this.reasoning;
    return [result as DataItem];
  }
}
