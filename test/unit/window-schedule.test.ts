import { describe, expect, it } from 'vitest';
import { firstTaskSchedule, firstTaskWait } from '../../src/request/first-task-schedule.js';
import { windowWait } from '../../src/request/window-schedule.js';

/* How a task expected ready in a window is polled, in plain numbers. */

const schedule = firstTaskSchedule(1000);
const slow = { start: 27_000, end: 33_000, step: 200, typical: 30_000 };
const fast = { start: 1800, end: 2200, step: 160, typical: 2000 };

/** The poll times, each answered at once, while the task is not ready before `until`. */
function pollTimes(window: typeof slow, until: number): number[] {
  const times: number[] = [];
  let at = 0;
  for (let attempt = 1; at <= until; attempt += 1) {
    at += windowWait(schedule, window, at, attempt);
    times.push(at);
  }
  return times;
}

describe('windowWait', () => {
  it('polls sparsely before the window, at halvings of its start down to pollInterval', () => {
    expect(pollTimes(slow, 26_000).slice(0, 5)).toEqual([1687.5, 3375, 6750, 13_500, 27_200]);
  });

  it('polls a window that starts soon without sparse polls, first a step into it', () => {
    expect(pollTimes(fast, 1900)[0]).toBe(1960);
  });

  it('polls every step across the window', () => {
    const times = pollTimes(slow, 28_000).filter((time) => time > 27_000);
    expect(times.slice(0, 6)).toEqual([27_200, 27_400, 27_600, 27_800, 28_000, 28_200]);
  });

  it('falls back to the first-task schedule once the window has passed: a slower task is still seen', () => {
    const times = pollTimes(fast, 40_000);
    const past = times.filter((time) => time > fast.end);
    expect(past.length).toBeGreaterThan(20);
    for (let i = 1; i < past.length; i += 1) expect(past[i]! - past[i - 1]!).toBeCloseTo(firstTaskWait(schedule, past[i - 1]!, 10));
    expect(Math.max(...past.slice(1).map((time, i) => time - past[i]!))).toBeLessThanOrEqual(1200);
  });

  it('never plans a poll less than half a step after the answer it follows', () => {
    // An early poll (one that joined a round) answered 10 ms before a grid point.
    expect(windowWait(schedule, slow, 27_590, 20)).toBe(210);
    expect(windowWait(schedule, slow, 27_400, 20)).toBe(200);
  });

  it('costs a task ready at ~30 s under a quarter of a 250 ms poller’s polls, ≤ 150 ms late (median)', () => {
    const times = pollTimes(slow, 34_000);
    const late: number[] = [];
    let polls = 0;
    let fixed = 0;
    for (let i = 0; i < 1000; i += 1) {
      const ready = 27_000 + (6000 * (i + 0.5)) / 1000;
      const seen = times.findIndex((time) => time >= ready);
      late.push(times[seen]! - ready);
      polls += seen + 1;
      fixed += Math.ceil(ready / 250);
    }
    late.sort((a, b) => a - b);
    expect(late[500]).toBeLessThanOrEqual(150);
    expect(polls).toBeLessThanOrEqual(fixed / 4);
  });
});
