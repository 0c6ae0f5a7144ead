import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import type { DeadlineClock } from '../operators/task-timeout.js';

interface Entry {
  readonly at: number;
  readonly fire: () => void;
}

/** One client's deadlines. */
export interface DeadlineSweeper {
  /** Keeps a deadline; the returned function forgets it. */
  readonly after: DeadlineClock;
  /**
   * Stops the timer if no deadline is pending. Called when the connection closes: while it is
   * open its socket keeps a Node process alive anyway, but once it is closed a leftover timer
   * alone must not.
   */
  standDown(): void;
}

/**
 * Creates one deadline keeper for a client: a set of deadlines and a single RxJS timer armed for
 * the earliest. A request then costs a set entry instead of a timer of its own; most requests
 * finish long before their deadline and simply leave the set. The timer is not cleared when the
 * set empties (requests one after another would otherwise arm and clear a timer each), only when
 * the connection closes (`standDown`); otherwise it fires once, finds nothing due, and is armed
 * again only for a deadline still pending. Uses RxJS's scheduler, so it runs in virtual time.
 *
 * @returns The sweeper; pass `after` to `taskTimeout`.
 */
export function createDeadlineSweeper(): DeadlineSweeper {
  const entries = new Set<Entry>();
  let timer: Subscription | undefined;
  let timerAt = Infinity;
  const dispose = (): void => {
    timer?.unsubscribe();
    timer = undefined;
    timerAt = Infinity;
  };
  const arm = (at: number): void => {
    if (at >= timerAt) return;
    dispose();
    timerAt = at;
    timer = asyncScheduler.schedule(sweep, Math.max(0, at - asyncScheduler.now()));
  };
  const sweep = (): void => {
    timer = undefined;
    timerAt = Infinity;
    const now = asyncScheduler.now();
    let next = Infinity;
    for (const entry of [...entries]) {
      if (entry.at > now) next = Math.min(next, entry.at);
      else if (entries.delete(entry)) entry.fire();
    }
    if (next !== Infinity) arm(next);
  };
  return {
    after: (ms, fire) => {
      const entry: Entry = { at: asyncScheduler.now() + ms, fire };
      entries.add(entry);
      arm(entry.at);
      return () => void entries.delete(entry);
    },
    standDown: () => {
      if (entries.size === 0) dispose();
    },
  };
}
