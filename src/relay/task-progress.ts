import type { DataItem } from '../protocol/frames.js';
import { resultContent } from '../protocol/result-content.js';
import type { ReplySummary } from './completion.js';

/** What a reply did to a task's progress. */
export interface ProgressReading {
  /** Every item of the task is in (finished or failed), or the task failed. */
  readonly done: boolean;
  /** The items of the reply that add nothing to what came before (a failure again, word for word; a result known already). */
  readonly known: ReadonlySet<object>;
  /** Pushed failures said word for word before: the same frame again, or as many alike failures (a poll answer tells). */
  readonly repeatedFailures: boolean;
}

/**
 * How far one task has got, as its replies tell the relay: the results in (by key) and the
 * failed items, each counted once. A failure carries no identity, and a frame the server writes
 * twice (a replay, a network that repeats) repeats its failures word for word: a pushed failure
 * that says what a failure of an earlier reply said is taken for that frame again, as the client
 * takes it (SeenItems), and is not counted; within one reply, alike failures are distinct items.
 * Two alike failures in frames of their own then count as one until a poll answer, which lists
 * the task's every item, says how many there are.
 */
export class TaskProgress {
  readonly #finished = new Set<string>();
  /** How many failures saying each thing were counted. */
  readonly #failures = new Map<string, number>();
  #failed = 0;

  constructor(private readonly expected: number) {}

  /** Whether any item of the task is in yet. */
  get started(): boolean {
    return this.#finished.size + this.#failed > 0;
  }

  /** Reads a pushed reply: what it brings adds to what came before. */
  pushed(summary: ReplySummary): ProgressReading {
    const known = new Set<object>();
    this.#results(summary, known, true);
    const inReply = new Map<string, number>();
    for (const item of summary.failed) {
      const words = resultContent(item);
      if ((this.#failures.get(words) ?? 0) > 0) known.add(item);
      else inReply.set(words, (inReply.get(words) ?? 0) + 1);
    }
    const repeatedFailures = known.size > 0 && summary.failed.some((item) => known.has(item));
    for (const [words, count] of inReply) this.#count(words, count);
    return { done: summary.taskFailed || this.#finished.size + this.#failed >= this.expected, known, repeatedFailures };
  }

  /**
   * Reads a poll answer, which lists the task's every item: the task is done when they are all
   * in. Its results and failures are kept, so that a late push of one of them is known.
   */
  polled(summary: ReplySummary): ProgressReading {
    const known = new Set<object>();
    this.#results(summary, known, false);
    const inAnswer = new Map<string, number>();
    for (const item of summary.failed) {
      const words = resultContent(item);
      const nth = (inAnswer.get(words) ?? 0) + 1;
      inAnswer.set(words, nth);
      if (nth <= (this.#failures.get(words) ?? 0)) known.add(item);
    }
    for (const [words, count] of inAnswer) if (count > (this.#failures.get(words) ?? 0)) this.#count(words, count);
    // Items counted from pushes are in too (a push may be taken for the answer it came before).
    const listed = summary.finished.length + summary.failed.length;
    return { done: summary.taskFailed || listed >= this.expected || this.#finished.size + this.#failed >= this.expected, known, repeatedFailures: false };
  }

  #results(summary: ReplySummary, known: Set<object>, pushed: boolean): void {
    summary.finished.forEach((key, index) => {
      const item: DataItem | undefined = summary.results[index];
      if (this.#finished.has(key) && item !== undefined) known.add(item);
      // A poll answer's keyless results are numbered by their place in it, not in the pushes.
      if (pushed || !key.startsWith('#')) this.#finished.add(key);
    });
  }

  #count(words: string, count: number): void {
    this.#failed += count - (this.#failures.get(words) ?? 0);
    this.#failures.set(words, count);
  }
}
