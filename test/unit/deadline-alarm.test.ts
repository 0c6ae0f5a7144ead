import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { DueLink } from '../../src/request/deadline-alarm.js';
import { createDeadlineAlarm } from '../../src/request/deadline-alarm.js';

const run = (test: (scheduler: TestScheduler) => void): void => {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.run(() => test(scheduler));
};

interface Named {
  readonly name: string;
  link: DueLink<Named> | undefined;
}

const named = (name: string): Named => ({ name, link: undefined });

/** A deadline alarm of named entries, recording when each fired (virtual ms). */
function recorded(scheduler: TestScheduler) {
  const fired: [string, number][] = [];
  const alarm = createDeadlineAlarm<Named>((entry) => fired.push([entry.name, scheduler.now()]), { get: (entry) => entry.link, set: (entry, link) => void (entry.link = link) });
  return { alarm, fired };
}

describe('createDeadlineAlarm', () => {
  it('fires entries of one wait in the order they were set, each at its due time', () => {
    run((scheduler) => {
      const { alarm, fired } = recorded(scheduler);
      const [a, b, c] = [named('a'), named('b'), named('c')];
      alarm.set(a, 100);
      scheduler.schedule(() => alarm.set(b, 130), 30);
      scheduler.schedule(() => alarm.set(c, 170), 70);
      scheduler.flush();
      expect(fired).toEqual([
        ['a', 100],
        ['b', 130],
        ['c', 170],
      ]);
    });
  });

  it('keeps entries of different waits apart, and the earliest first', () => {
    run((scheduler) => {
      const { alarm, fired } = recorded(scheduler);
      alarm.set(named('long'), 500);
      alarm.set(named('short'), 50);
      scheduler.schedule(() => alarm.set(named('short again'), 60), 10);
      scheduler.flush();
      expect(fired).toEqual([
        ['short', 50],
        ['short again', 60],
        ['long', 500],
      ]);
    });
  });

  it('places an entry set out of order where it belongs', () => {
    run((scheduler) => {
      const { alarm, fired } = recorded(scheduler);
      // Same wait of 100 as far as rounding goes, but due a little earlier than the last.
      alarm.set(named('later'), 100.4);
      alarm.set(named('earlier'), 99.6);
      scheduler.flush();
      expect(fired.map(([name]) => name)).toEqual(['earlier', 'later']);
    });
  });

  it('moves an entry set again, never fires one cleared, and reuses its link', () => {
    run((scheduler) => {
      const { alarm, fired } = recorded(scheduler);
      const moved = named('moved');
      const cleared = named('cleared');
      alarm.set(moved, 100);
      const link = moved.link;
      alarm.set(moved, 400);
      alarm.set(cleared, 200);
      alarm.clear(cleared);
      alarm.clear(named('never set'));
      scheduler.flush();
      expect(fired).toEqual([['moved', 400]]);
      expect(moved.link).toBe(link);
    });
  });

  it('lets an entry that fires set itself again', () => {
    run((scheduler) => {
      let count = 0;
      const again = named('again');
      const alarm = createDeadlineAlarm<Named>(
        (entry) => {
          count += 1;
          if (count < 3) alarm.set(entry, scheduler.now() + 50);
        },
        { get: (entry) => entry.link, set: (entry, link) => void (entry.link = link) },
      );
      alarm.set(again, 50);
      scheduler.flush();
      expect(count).toBe(3);
      expect(scheduler.now()).toBe(150);
    });
  });

  it('never arms for Infinity, and stands down once nothing is set', () => {
    run((scheduler) => {
      const { alarm, fired } = recorded(scheduler);
      const forever = named('forever');
      alarm.set(forever, Infinity);
      const soon = named('soon');
      alarm.set(soon, 1000);
      alarm.clear(soon);
      alarm.clear(forever);
      alarm.standDown();
      scheduler.flush();
      expect(fired).toEqual([]);
      expect(scheduler.now()).toBe(0);
    });
  });

  it('stands down, when told while something was set, once the last entry leaves', () => {
    run((scheduler) => {
      const { alarm, fired } = recorded(scheduler);
      const held = named('held');
      alarm.set(held, 1_200_000);
      alarm.standDown();
      alarm.clear(held);
      // Nothing is armed any more: the clock does not move to the 20-minute deadline.
      scheduler.flush();
      expect(scheduler.now()).toBe(0);
      expect(fired).toEqual([]);
      expect(alarm.waits()).toBe(0);
    });
  });
});

describe('createDeadlineAlarm, held over many different waits', () => {
  it('keeps no list for a wait once its entries are gone: requests of ever-changing timeouts do not grow it', () => {
    run((scheduler) => {
      const { alarm, fired } = recorded(scheduler);
      const entries = Array.from({ length: 500 }, (_, index) => named(`e${index}`));
      entries.forEach((entry, index) => alarm.set(entry, 1000 + index));
      expect(alarm.waits()).toBe(500);
      for (const entry of entries.slice(1)) alarm.clear(entry);
      const late = named('late');
      scheduler.schedule(() => alarm.set(late, 5000 + 2000), 5000);
      scheduler.flush();
      // The ring at 1000 ms fired e0 and let the 499 emptied lists go; the one set later has fired too.
      expect(fired).toEqual([['e0', 1000], ['late', 7000]]);
      expect(alarm.waits()).toBe(0);
    });
  });

  it('lets every list go when it stands down with nothing due', () => {
    run((scheduler) => {
      const { alarm } = recorded(scheduler);
      const entries = Array.from({ length: 50 }, (_, index) => named(`e${index}`));
      entries.forEach((entry, index) => alarm.set(entry, 100 + index * 7));
      for (const entry of entries) alarm.clear(entry);
      expect(alarm.waits()).toBe(50);
      alarm.standDown();
      expect(alarm.waits()).toBe(0);
    });
  });
});
