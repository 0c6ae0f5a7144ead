import { describe, expect, it } from 'vitest';
import { firstTaskSchedule, firstTaskWait } from '../../src/request/first-task-schedule.js';

/*
 * The schedule of a task whose kind the client has never seen finish, in plain numbers: when
 * each poll goes out, how late a task ready at a given moment is seen, and how many polls that
 * costs next to a client that polls every 250 ms.
 */

const schedule = firstTaskSchedule(1000);

/** The times of the polls, each answered `rtt` ms after it is sent, up to `until`. */
function pollTimes(until: number, rtt = 2): number[] {
  const times: number[] = [];
  let answeredAt = 0;
  for (let attempt = 1; ; attempt += 1) {
    const sentAt = answeredAt + firstTaskWait(schedule, answeredAt, attempt);
    times.push(sentAt);
    if (sentAt > until) return times;
    answeredAt = sentAt + rtt;
  }
}

/** For ready times spread evenly over ±10 % of `readyAt`: the median lateness and the polls, next to a 250 ms poller. */
function against250(readyAt: number): { medianLate: number; polls: number; fixedPolls: number } {
  const times = pollTimes(readyAt * 1.2);
  const late: number[] = [];
  let polls = 0;
  let fixedPolls = 0;
  const n = 1000;
  for (let i = 0; i < n; i += 1) {
    const ready = readyAt * (0.9 + (0.2 * (i + 0.5)) / n);
    const seen = times.findIndex((time) => time >= ready);
    late.push(times[seen]! - ready);
    polls += seen + 1;
    fixedPolls += Math.ceil(ready / 250);
  }
  late.sort((a, b) => a - b);
  return { medianLate: late[n / 2]!, polls: polls / n, fixedPolls: fixedPolls / n };
}

describe('the first-task schedule', () => {
  it('polls first after pollInterval, then 225 ms apart while the task is young', () => {
    expect(pollTimes(2700, 0)).toEqual([1000, 1225, 1450, 1675, 1900, 2140, 2452, 2857.6]);
  });

  it('lets the wait grow by 30 % of the time elapsed since 100 ms after the first poll, up to 900 ms', () => {
    expect(firstTaskWait(schedule, 3100, 9)).toBe(600);
    expect(firstTaskWait(schedule, 4800, 12)).toBe(900);
    expect(firstTaskWait(schedule, 20_000, 30)).toBe(900);
  });

  it('past ~36 s, lets the wait be 2.5 % of the elapsed time, at most 30 s: a long job is not hammered', () => {
    expect(firstTaskWait(schedule, 36_000, 40)).toBe(900);
    expect(firstTaskWait(schedule, 60_000, 70)).toBe(1500);
    expect(firstTaskWait(schedule, 600_000, 150)).toBe(15_000);
    expect(firstTaskWait(schedule, 3_600_000, 300)).toBe(30_000);
    // Ten minutes cost ~160 polls (one a second would be 600).
    expect(pollTimes(600_000).length).toBeLessThan(170);
  });

  it('sees a task ready at ~2 s ≤ 150 ms late (median) with fewer polls than a 250 ms poller', () => {
    const { medianLate, polls, fixedPolls } = against250(2000);
    expect(medianLate).toBeLessThanOrEqual(150);
    expect(polls).toBeLessThanOrEqual(fixedPolls);
  });

  it('sees a task ready at ~30 s ≤ 500 ms late (median) with under a third of a 250 ms poller’s polls', () => {
    const { medianLate, polls, fixedPolls } = against250(30_000);
    expect(medianLate).toBeLessThanOrEqual(500);
    expect(polls).toBeLessThanOrEqual(fixedPolls / 3);
  });

  it('never polls one task less than 50 ms apart, even with pollInterval 0', () => {
    const eager = firstTaskSchedule(0);
    expect(firstTaskWait(eager, 0, 1)).toBe(0);
    expect(firstTaskWait(eager, 1, 2)).toBe(50);
    expect(firstTaskSchedule(200).floor).toBe(200);
    expect(firstTaskSchedule(5000).floor).toBe(225);
  });
});
