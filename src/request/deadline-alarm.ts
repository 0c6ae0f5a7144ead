import { asyncScheduler } from 'rxjs';
import type { Alarm } from './alarm.js';
import { createSingleTimer } from '../util/single-timer.js';

/** An entry's place in a deadline alarm: kept on the entry, reused each time it is set again. */
export interface DueLink<T> {
  readonly entry: T;
  at: number;
  previous: DueLink<T> | undefined;
  next: DueLink<T> | undefined;
  /** The list it is in; `undefined` while not set. */
  list: DueList<T> | undefined;
}

/** The entries set with one same wait, in order of their due times. */
interface DueList<T> {
  head: DueLink<T> | undefined;
  tail: DueLink<T> | undefined;
}

/** Where an entry keeps its link: one field per alarm on the entry. */
export interface LinkSlot<T> {
  get(entry: T): DueLink<T> | undefined;
  set(entry: T, link: DueLink<T>): void;
}

/** A deadline alarm, and how many distinct waits it keeps a list for. */
export interface DeadlineAlarm<T> extends Alarm<T> {
  /**
   * Lists of distinct waits held: empty ones go when the timer rings or the alarm stands down,
   * so requests of ever-changing timeouts do not grow it without end.
   */
  waits(): number;
}

/**
 * Creates an alarm for deadlines: entries that nearly all wait the same time (a client's whole-
 * task deadline, its acknowledgement or answer deadline) and nearly all leave long before it.
 * Entries set with the same wait are due in the order they are set, so each wait has a list in
 * due order: setting appends to its list, clearing unlinks, and the one timer is armed for the
 * earliest head. Nothing is hashed and nothing is allocated per set beyond an entry's first (a
 * map of ten thousand entries costs a set and a delete each, and its rehashing as it grows and
 * shrinks). An entry set out of order (its list's last is due later) is placed by walking back.
 * Uses RxJS's scheduler, so it runs in virtual time in tests.
 *
 * @param fire Called with each entry that falls due; the entry has left the alarm by then.
 * @param slot Where each entry keeps its link.
 * @returns The alarm.
 */
export function createDeadlineAlarm<T>(fire: (entry: T) => void, slot: LinkSlot<T>): DeadlineAlarm<T> {
  const lists = new Map<number, DueList<T>>();
  let linked = 0;
  /** Told to stand down while entries were still linked: it does once the last of them leaves. */
  let standingDown = false;
  const unlink = (link: DueLink<T>): void => {
    const list = link.list;
    if (list === undefined) return;
    if (link.previous === undefined) list.head = link.next;
    else link.previous.next = link.next;
    if (link.next === undefined) list.tail = link.previous;
    else link.next.previous = link.previous;
    link.previous = link.next = link.list = undefined;
    linked -= 1;
  };
  const ring = (reached: number): void => {
    // Timers and the wall clock may disagree by a millisecond: that early still counts as due. And
    // what was due when the timer rang is due, even if the clock was stepped back meanwhile.
    const reach = Math.max(asyncScheduler.now(), reached) + 1;
    const ready: T[] = [];
    let next = Infinity;
    for (const [wait, list] of lists) {
      while (list.head !== undefined && list.head.at <= reach) {
        const link = list.head;
        unlink(link);
        ready.push(link.entry);
      }
      // An empty list goes here, where every list is visited anyway, not on each unlink (the one
      // wait of a client's sequential requests would be deleted and made again per request).
      if (list.head === undefined) lists.delete(wait);
      else next = Math.min(next, list.head.at);
    }
    if (next !== Infinity) timer.arm(next);
    for (const entry of ready) fire(entry);
  };
  const timer = createSingleTimer(ring);
  const stop = (): void => {
    standingDown = false;
    timer.dispose();
    lists.clear();
  };

  return {
    set(entry, time) {
      standingDown = false;
      let link = slot.get(entry);
      if (link === undefined) {
        link = { entry, at: time, previous: undefined, next: undefined, list: undefined };
        slot.set(entry, link);
      } else unlink(link);
      link.at = time;
      const wait = Math.round(time - asyncScheduler.now());
      let list = lists.get(wait);
      if (list === undefined) lists.set(wait, (list = { head: undefined, tail: undefined }));
      // Nearly always the last: same wait, set later. Otherwise walk back to its place.
      let after = list.tail;
      while (after !== undefined && after.at > time) after = after.previous;
      link.list = list;
      link.previous = after;
      link.next = after === undefined ? list.head : after.next;
      if (link.next === undefined) list.tail = link;
      else link.next.previous = link;
      if (after === undefined) list.head = link;
      else after.next = link;
      linked += 1;
      timer.arm(time);
    },
    clear(entry) {
      const link = slot.get(entry);
      if (link !== undefined) unlink(link);
      if (standingDown && linked === 0) stop();
    },
    standDown() {
      standingDown = linked > 0;
      if (!standingDown) stop();
    },
    // A method, not a getter: see the task router's size.
    waits: () => lists.size,
  };
}
