/** The shape of a polling schedule. */
export interface PollDelayOptions {
  /** The wait before the first poll, in ms. */
  readonly first: number;
  /** Growth of the wait from one poll to the next. */
  readonly factor: number;
  /** The longest wait, in ms. */
  readonly max: number;
  /** The shortest wait when aiming at a projected finish, in ms. */
  readonly min: number;
}

/** What the previous answer said: how far along the task was, and when. */
export interface PollProgress {
  /** Percent done, when the server reports it. */
  readonly progress?: number | undefined;
  /** Time from acceptance to that answer, in ms. */
  readonly elapsed: number;
}

/**
 * Builds a polling schedule: exponential from `first` by `factor` up to `max`, shortened when
 * the server reports progress so the next poll lands when the task should finish (progress p%
 * after t ms projects t·(100−p)/p ms more). Progress can only make a wait shorter, never longer,
 * and never shorter than `min`: finished tasks are seen soon without polling more densely than
 * the schedule allows near the end.
 *
 * @param options The schedule's shape.
 * @returns The wait before poll number `attempt` (from 1), given the previous answer.
 *
 * @example
 * ```ts
 * const delay = pollDelay({ first: 1000, factor: 1.5, max: 10_000, min: 100 });
 * delay(2, { progress: 50, elapsed: 1000 }); // 1000: projected to finish then
 * ```
 */
export function pollDelay(options: PollDelayOptions): (attempt: number, previous?: PollProgress) => number {
  const { first, factor, max, min } = options;
  return (attempt, previous) => {
    const planned = Math.min(first * factor ** Math.max(0, attempt - 1), max);
    const progress = previous?.progress;
    if (previous === undefined || progress === undefined || !(progress > 0 && progress < 100)) return planned;
    const projected = (previous.elapsed * (100 - progress)) / progress;
    return Math.min(planned, Math.max(min, projected));
  };
}
