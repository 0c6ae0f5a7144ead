import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { createAlarm } from '../../src/request/alarm.js';

const run = (test: (scheduler: TestScheduler) => void): void => {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.run(() => test(scheduler));
};

/** An alarm whose entries are names, recording when each fired (virtual ms). */
function recorded(gather: number, scheduler: TestScheduler) {
  const fired: [string, number][] = [];
  const alarm = createAlarm<string>((name) => fired.push([name, scheduler.now()]), gather);
  return { alarm, fired };
}

describe('createAlarm', () => {
  it('fires each entry at its due time', () => {
    run((scheduler) => {
      const { alarm, fired } = recorded(0, scheduler);
      alarm.set('b', 300);
      alarm.set('a', 100);
      scheduler.flush();
      expect(fired).toEqual([
        ['a', 100],
        ['b', 300],
      ]);
    });
  });

  it('fires entries due within the gathering reach together, so polls acknowledged apart share a frame', () => {
    run((scheduler) => {
      const { alarm, fired } = recorded(100, scheduler);
      alarm.set('first', 1000);
      alarm.set('second', 1030);
      alarm.set('third', 1090);
      alarm.set('later', 1250);
      scheduler.flush();
      expect(fired).toEqual([
        ['first', 1000],
        ['second', 1000],
        ['third', 1000],
        ['later', 1250],
      ]);
    });
  });

  it('moves an entry set again, and never fires one that was cleared', () => {
    run((scheduler) => {
      const { alarm, fired } = recorded(0, scheduler);
      alarm.set('moved', 100);
      alarm.set('moved', 400);
      alarm.set('cleared', 200);
      alarm.clear('cleared');
      scheduler.flush();
      expect(fired).toEqual([['moved', 400]]);
    });
  });

  it('lets an entry that fires set itself again', () => {
    run((scheduler) => {
      let count = 0;
      const alarm = createAlarm<string>(() => {
        count += 1;
        if (count < 3) alarm.set('again', scheduler.now() + 50);
      }, 0);
      alarm.set('again', 50);
      scheduler.flush();
      expect(count).toBe(3);
      expect(scheduler.now()).toBe(150);
    });
  });

  it('fires an entry already due at once', () => {
    run((scheduler) => {
      const { alarm, fired } = recorded(0, scheduler);
      scheduler.schedule(() => alarm.set('late', 10), 50);
      scheduler.flush();
      expect(fired).toEqual([['late', 50]]);
    });
  });

  it('stands its timer down only when nothing is due', () => {
    run((scheduler) => {
      const { alarm, fired } = recorded(0, scheduler);
      alarm.set('kept', 500);
      alarm.standDown();
      scheduler.flush();
      expect(fired).toEqual([['kept', 500]]);
      alarm.set('gone', 900);
      alarm.clear('gone');
      alarm.standDown();
      scheduler.flush();
      expect(scheduler.now()).toBe(500);
    });
  });

  it('stands down, when told while something was due, once the last entry leaves', () => {
    run((scheduler) => {
      const { alarm, fired } = recorded(0, scheduler);
      alarm.set('held', 900);
      alarm.standDown();
      alarm.clear('held');
      // Nothing is armed any more: the clock does not move to 900.
      scheduler.flush();
      expect(scheduler.now()).toBe(0);
      expect(fired).toEqual([]);
    });
  });

  it('forgets a stand-down once a new entry is set', () => {
    run((scheduler) => {
      const { alarm, fired } = recorded(0, scheduler);
      alarm.set('held', 900);
      alarm.standDown();
      alarm.set('next', 400);
      alarm.clear('held');
      scheduler.flush();
      expect(fired).toEqual([['next', 400]]);
    });
  });
});

describe('createAlarm with joining', () => {
  it('fires an entry whose wait is two-thirds over with a round rung for another, and a lone one when due', () => {
    run((scheduler) => {
      const fired: [string, number][] = [];
      const alarm = createAlarm<string>((name) => fired.push([name, scheduler.now()]), 0, () => 1 / 3);
      alarm.set('ringer', 700);
      // Set at 0 to be due at 900: may go from 600 on.
      alarm.set('near', 900);
      // Due at 1500: may go from 1000 on, so not with the ringer.
      alarm.set('far', 1500);
      scheduler.flush();
      expect(fired).toEqual([
        ['ringer', 700],
        ['near', 700],
        ['far', 1500],
      ]);
    });
  });

  it('lets the fraction depend on how many entries there are when one is set', () => {
    run((scheduler) => {
      const fired: [string, number][] = [];
      const alarm = createAlarm<string>((name) => fired.push([name, scheduler.now()]), 0, (entries) => (entries > 1 ? 1 / 3 : 0));
      alarm.set('alone', 900);
      alarm.set('ringer', 700);
      alarm.set('crowded', 900);
      scheduler.flush();
      expect(fired).toEqual([
        ['ringer', 700],
        ['crowded', 700],
        ['alone', 900],
      ]);
    });
  });

  it('never fires an entry before two-thirds of its wait, however often rounds ring', () => {
    run((scheduler) => {
      const fired: [string, number][] = [];
      const alarm = createAlarm<string>((name) => fired.push([name, scheduler.now()]), 0, () => 1 / 3);
      for (let at = 10; at < 1000; at += 10) alarm.set(`ringer-${at}`, at);
      alarm.set('patient', 900);
      scheduler.flush();
      const [, at] = fired.find(([name]) => name === 'patient')!;
      // Joined an early round, but none before 600.
      expect(at).toBeGreaterThanOrEqual(600);
      expect(at).toBeLessThan(700);
    });
  });
});
