/**
 * What the finished tasks of one model say about the next one: the window of time in which it
 * should become ready, and how densely to poll across it. Pure arithmetic over plain numbers.
 */

/**
 * When one finished task became ready, as far as its polls tell: after `after` (its last poll
 * still answered "processing" was sent then) and by `by` (the answer that found it done
 * arrived then), both in ms from its acknowledgement.
 */
export interface Bracket {
  readonly after: number;
  readonly by: number;
}

/** When the next task of a model should be ready, from the brackets of the earlier ones. */
export interface ReadyWindow {
  /** The task is not expected to be ready before this, in ms from its acknowledgement. */
  readonly start: number;
  /** Nor later than this. */
  readonly end: number;
  /** The wait between polls across the window. */
  readonly step: number;
  /** The typical time to ready: the median of the brackets' middles. */
  readonly typical: number;
}

/**
 * With one observation nothing is known of how much a model's tasks vary: the window assumes
 * ±10 % around it, and the assumption shrinks as observations show the spread itself (±10 %/n
 * beyond the range of n observations).
 */
const PRIOR_SPREAD = 0.1;
/**
 * A bracket is never read as wider than this fraction of its end: a task found done by the first
 * poll after a long wait was most likely ready near its end, not anywhere since its start.
 */
const MAX_BRACKET = 0.1;
/** The longest wait between polls across a window: a task ready in it is seen ~100 ms late on average. */
const MAX_STEP_MS = 200;
/** The shortest wait between polls across a window. */
const MIN_STEP_MS = 50;
/** Steps across the width of a window (when that makes them shorter than MAX_STEP_MS): 2.5 polls, ~1.75 per task on average. */
const POLLS_PER_WINDOW = 2.5;

/**
 * The window the next task should be ready in. Each bracket counts by its middle (the task was
 * ready somewhere in it; a bracket wider than 10 % of its end is cut to that, since a task found
 * by the first poll after a long wait was most likely ready near its end). The window spans the
 * middles seen, widened by the larger of the brackets' mean half-width (the polls' own
 * uncertainty) and the prior spread divided by the number of observations (a few observations
 * may not have seen the model's extremes yet).
 *
 * @param brackets The brackets of earlier tasks of the model, at least one.
 * @returns The window, or `undefined` when there are no brackets.
 *
 * @example
 * ```ts
 * readyWindow([{ after: 1750, by: 2000 }]); // { start: 1710, end: 2090, step: 152, typical: 1900 }
 * ```
 */
export function readyWindow(brackets: readonly Bracket[]): ReadyWindow | undefined {
  const n = brackets.length;
  if (n === 0) return undefined;
  const middles: number[] = [];
  let halfWidth = 0;
  for (const { after, by } of brackets) {
    const from = Math.max(after, by * (1 - MAX_BRACKET));
    middles.push((from + by) / 2);
    halfWidth += (by - from) / 2;
  }
  middles.sort((a, b) => a - b);
  halfWidth /= n;
  const low = middles[0]!;
  const high = middles[n - 1]!;
  const typical = n % 2 === 1 ? middles[(n - 1) / 2]! : (middles[n / 2 - 1]! + middles[n / 2]!) / 2;
  const widen = PRIOR_SPREAD / n;
  const start = Math.max(0, Math.min(low - halfWidth, low * (1 - widen)));
  const end = Math.max(high + halfWidth, high * (1 + widen));
  const step = Math.min(MAX_STEP_MS, Math.max(MIN_STEP_MS, (end - start) / POLLS_PER_WINDOW));
  return { start, end, step, typical };
}
