import { describe, expect, it } from 'vitest';
import { pollDelay } from '../../src/operators/poll-delay.js';

const schedule = { first: 1000, factor: 1.5, max: 10_000, min: 100 };

describe('pollDelay', () => {
  it('waits `first` before the first poll and grows by `factor`', () => {
    const delay = pollDelay(schedule);
    expect([1, 2, 3, 4].map((attempt) => delay(attempt))).toEqual([1000, 1500, 2250, 3375]);
  });

  it('caps the planned wait at `max`', () => {
    const delay = pollDelay(schedule);
    expect(delay(6)).toBeCloseTo(7593.75);
    expect(delay(7)).toBe(10_000);
    expect(delay(50)).toBe(10_000);
  });

  it('shortens the wait to the projected finish when progress is reported', () => {
    const delay = pollDelay(schedule);
    // 50 % after 1 s projects 1 s more; 25 % after 1.2 s projects 3.6 s more.
    expect(delay(5, { progress: 50, elapsed: 1000 })).toBe(1000);
    expect(delay(7, { progress: 25, elapsed: 1200 })).toBeCloseTo(3600);
  });

  it('never waits less than `min` however close to done the task is', () => {
    const delay = pollDelay(schedule);
    expect(delay(5, { progress: 99, elapsed: 1000 })).toBe(100);
    expect(delay(5, { progress: 99.99, elapsed: 60_000 })).toBe(100);
  });

  it('never waits longer than the planned wait however far the projected finish is', () => {
    const delay = pollDelay(schedule);
    expect(delay(1, { progress: 10, elapsed: 1000 })).toBe(1000);
    expect(delay(3, { progress: 1, elapsed: 60_000 })).toBe(2250);
    expect(delay(50, { progress: 1, elapsed: 60_000 })).toBe(10_000);
  });

  it('never waits longer than the planned wait even when `min` is larger than it', () => {
    const delay = pollDelay({ first: 50, factor: 2, max: 10_000, min: 100 });
    expect(delay(1, { progress: 99, elapsed: 1000 })).toBe(50);
  });

  it('ignores progress of 0, 100, out of range or missing', () => {
    const delay = pollDelay(schedule);
    for (const progress of [0, 100, -5, 150, Number.NaN, undefined]) {
      expect(delay(3, { progress, elapsed: 5000 }), `progress ${String(progress)}`).toBe(2250);
    }
  });

  it('follows the plain schedule when there is no previous answer', () => {
    const delay = pollDelay(schedule);
    expect(delay(2, undefined)).toBe(1500);
  });
});
