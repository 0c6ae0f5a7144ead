import { failureWords } from '../errors/failure-words.js';
import type { RunwareError } from '../errors/runware-error.js';
import type { DataItem } from '../protocol/frames.js';
import { countOccurrence, resultContent } from '../protocol/result-content.js';

/**
 * What one task's results and failures delivered so far were, to tell a new item from one a
 * replay, a repeated frame or a cumulative poll answer brings again. Its sets exist only once
 * something was seen; a re-run under a new taskUUID starts its counts afresh (`newTask`), while
 * output UUIDs, which never repeat across tasks, stay.
 */
export class SeenItems {
  /** Output UUIDs of the results delivered. */
  private uuids: Set<string> | undefined;
  /** A count and the words of each result delivered without an identity. */
  private said: Set<string> | undefined;
  /** The server's `resultIndex` of the results delivered that carry one. */
  private indexes: Set<number> | undefined;
  /** A count and the words of each failure delivered. */
  private failures: Set<string> | undefined;
  /** How many pushed results, and pushed failures, said each thing (a poll answer counts its own). */
  private pushedSayings: Map<string, number> | undefined;
  private pushedFailureSayings: Map<string, number> | undefined;
  /** Words of pushed failures of earlier replies, and of the reply being read. */
  private earlierFailureTexts: Set<string> | undefined;
  private replyFailureTexts: Set<string> | undefined;

  /**
   * Whether a result is new.
   *
   * @param item The result.
   * @param key Its output UUID, if it has one.
   * @param position In a poll answer, how many results saying the same come before it there.
   * @returns `false` for a result delivered before.
   */
  result(item: DataItem, key: string | undefined, position: number | undefined): boolean {
    if (key !== undefined) return firstTime((this.uuids ??= new Set()), key);
    const resultIndex = item['resultIndex'];
    if (typeof resultIndex === 'number') {
      if (this.indexes?.has(resultIndex) === true) return false;
      (this.indexes ??= new Set()).add(resultIndex);
      return true;
    }
    // No identity: what it says, and how many results saying the same came before it (in a poll
    // answer, before it in that answer; pushed, before it at all: the n-th pushed is the n-th of
    // a later answer). Identical texts are distinct results; their places in the answer are not
    // theirs to keep, since generations finish in any order.
    const words = resultContent(item);
    return firstTime((this.said ??= new Set()), `${position ?? countOccurrence((this.pushedSayings ??= new Map<string, number>()), words)}\u0000${words}`);
  }

  /**
   * Whether a failure is new. Failures carry no identity: one is its words and how many failures
   * with the same words came before it (in a poll answer, before it in that answer; pushed, before
   * it at all), so the same failure is counted once however often answers repeat it, in whatever
   * order the generations failed. A pushed failure seen word for word in an earlier reply is taken
   * for that frame arriving twice: counting it again would settle the task early and lose a result
   * still to come. Were it a second, identical failure, the task goes on waiting, and its answer
   * deadline sends it again and polls the whole count.
   *
   * @param error The failure.
   * @param position In a poll answer, how many failures saying the same come before it there.
   * @returns `false` for a failure delivered before.
   */
  failure(error: RunwareError, position: number | undefined): boolean {
    const words = failureWords(error);
    if (position === undefined) {
      if (this.earlierFailureTexts?.has(words) === true) return false;
      (this.replyFailureTexts ??= new Set()).add(words);
    }
    return firstTime((this.failures ??= new Set()), `${position ?? countOccurrence((this.pushedFailureSayings ??= new Map<string, number>()), words)}\u0000${words}`);
  }

  /**
   * Marks the start of another reply. A pushed failure word for word like one of an earlier reply
   * is taken for that reply's frame arriving again; within one reply, identical failures are
   * distinct items (a frame does not repeat its own items).
   */
  beginReply(): void {
    if (this.replyFailureTexts === undefined) return;
    for (const text of this.replyFailureTexts) (this.earlierFailureTexts ??= new Set()).add(text);
    this.replyFailureTexts = undefined;
  }

  /** A re-run under a new taskUUID: counts of its own; output UUIDs stay. */
  newTask(): void {
    this.indexes = this.said = this.failures = undefined;
    this.earlierFailureTexts = this.replyFailureTexts = undefined;
    this.pushedSayings = this.pushedFailureSayings = undefined;
  }
}

/** Adds `id` to `ids`; `false` when it was there already. */
function firstTime(ids: Set<string>, id: string): boolean {
  if (ids.has(id)) return false;
  ids.add(id);
  return true;
}
