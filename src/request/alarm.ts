import { asyncScheduler } from 'rxjs';
import { createSingleTimer } from '../util/single-timer.js';

/** Entries due at given times, served by one timer. */
export interface Alarm<T> {
  /** Makes `entry` due at scheduler time `time`, replacing any earlier time it had. */
  set(entry: T, time: number): void;
  /** Forgets `entry`. */
  clear(entry: T): void;
  /**
   * Stops the timer once nothing is due: at once, or when the last entry still there leaves (a
   * request that waits out a retry after the connection closed, and is then aborted), unless
   * another is set first. Otherwise the timer is left to run out when the last entry goes
   * (requests one after another would each arm and clear one): it fires once, finds nothing, and
   * stops. A Node process must not be kept alive by it after the connection closed.
   */
  standDown(): void;
}

/**
 * Creates an alarm: a map from entry to due time and a single RxJS timer armed for the earliest.
 * A task's deadline or poll then costs a map entry instead of a timer of its own, and most tasks
 * finish long before their deadline and simply leave the map. When the timer fires, every entry
 * due within `gather` ms fires with it, and so does every entry that has waited long enough to
 * join a round: `join(n)`, given how many entries there are when it is set (or fired in the last
 * round, if more), is the fraction of its wait (from when it is set to when it is due) by which it
 * may fire early. When many polls
 * are in flight and a round goes out anyway, those whose turn is near go with it, which the
 * outbox packs into one frame: a busy client polls each task somewhat sooner, at no cost in
 * frames, and never before `1 − join` of its wait (so at most 1 / (1 − join) times as often); a
 * lone task is polled when it is due. Uses RxJS's scheduler, so it runs in virtual time in tests.
 *
 * @param fire Called with each entry that falls due, and the time its round was due (the time the
 *   timer was armed for, whatever its lateness); the entry has left the alarm by then.
 * @param gather How far ahead of the timer entries are fired with it, in ms (0: only those due).
 * @param join The fraction of its wait by which an entry may fire early with a round, given the
 *   number of entries (omitted: never early).
 * @returns The alarm.
 */
export function createAlarm<T>(fire: (entry: T, at: number) => void, gather: number, join?: (entries: number) => number): Alarm<T> {
  const due = new Map<T, number>();
  /** When each entry may join a round, for entries that may fire before they are due. */
  const early = join === undefined ? undefined : new Map<T, number>();
  /** How many fired in the last round: polled tasks whose answers are on their way, to be set again. */
  let lastRound = 0;
  /** Told to stand down while entries were still due: it does once the last of them leaves. */
  let standingDown = false;
  const ring = (reached: number): void => {
    // Timers and the wall clock may disagree by a millisecond: that early still counts as due. And
    // what was due when the timer rang is due, even if the clock was stepped back meanwhile.
    const reach = Math.max(asyncScheduler.now(), reached) + Math.max(gather, 1);
    let next = Infinity;
    const ready: T[] = [];
    for (const [entry, at] of due) {
      if (at <= reach || (early !== undefined && early.get(entry)! <= reach)) ready.push(entry);
      else next = Math.min(next, at);
    }
    for (const entry of ready) {
      due.delete(entry);
      early?.delete(entry);
    }
    lastRound = ready.length;
    if (next !== Infinity) timer.arm(next);
    for (const entry of ready) fire(entry, reached);
  };
  const timer = createSingleTimer(ring);
  return {
    set(entry, time) {
      standingDown = false;
      due.set(entry, time);
      if (early !== undefined) early.set(entry, time - join!(Math.max(due.size, lastRound)) * Math.max(0, time - asyncScheduler.now()));
      timer.arm(time);
    },
    clear(entry) {
      due.delete(entry);
      early?.delete(entry);
      if (standingDown && due.size === 0) {
        standingDown = false;
        timer.dispose();
      }
    },
    standDown() {
      standingDown = due.size > 0;
      if (!standingDown) timer.dispose();
    },
  };
}
