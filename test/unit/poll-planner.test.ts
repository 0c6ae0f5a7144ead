import { describe, expect, it } from 'vitest';
import type { PlannedTask, PollPlanner } from '../../src/request/poll-planner.js';
import { createPollPlanner } from '../../src/request/poll-planner.js';

/*
 * The planner in plain numbers: a simulated client that submits tasks one after another, each
 * ready at a time drawn evenly over ±10 % of a model's typical time, each poll answered 2 ms
 * after it is sent. No clock, no server: only the arithmetic the engine relies on.
 */

const planner = (): PollPlanner => createPollPlanner({ pollInterval: 1000, projection: { first: 1000, factor: 1.5, max: 10_000, min: 100 }, memory: { perKey: 8, keys: 64 } });
const video: PlannedTask = { key: 'videoInference klingai:5@3 5', hint: undefined };

/** Polls one task ready at `ready` to the end, teaching the planner; its lateness and polls. */
function run(plan: PollPlanner, task: PlannedTask, ready: number, progress?: (elapsed: number) => number): { late: number; polls: number } {
  let answeredAt = 0;
  let runningAt: number | undefined;
  const expected = plan.expect(task);
  for (let attempt = 1; ; attempt += 1) {
    const sentAt = answeredAt + plan.next(expected, answeredAt, attempt, attempt === 1 ? undefined : progress?.(answeredAt));
    answeredAt = sentAt + 2;
    if (sentAt + 1 >= ready) {
      if (task.key !== undefined) plan.learn(task.key, { after: runningAt ?? 0, by: answeredAt });
      return { late: answeredAt - ready, polls: attempt };
    }
    runningAt = sentAt;
  }
}

/** `n` tasks each on a fresh client (first tasks) or one after another on one client (later tasks), ready over ±10 % of `typical`. */
function measure(typical: number, n: number, later: boolean): { medianLate: number; polls: number; fixedPolls: number } {
  const shared = planner();
  if (later) run(shared, video, typical);
  const late: number[] = [];
  let polls = 0;
  let fixedPolls = 0;
  // Evenly spread, in a scrambled order, so that each task learns from tasks ready at other times.
  for (let i = 0; i < n; i += 1) {
    const ready = typical * (0.9 + (0.2 * ((i * 0.618_034) % 1)));
    const outcome = run(later ? shared : planner(), video, ready);
    late.push(outcome.late);
    polls += outcome.polls;
    fixedPolls += Math.ceil(ready / 250);
  }
  late.sort((a, b) => a - b);
  return { medianLate: late[Math.floor(n / 2)]!, polls: polls / n, fixedPolls: fixedPolls / n };
}

describe('the poll planner', () => {
  it('follows the first-task schedule for a kind it has never seen finish', () => {
    const plan = planner();
    expect(plan.next(plan.expect(video), 0, 1, undefined)).toBe(1000);
    expect(plan.next(plan.expect(video), 1002, 2, undefined)).toBe(225);
    expect(plan.estimate(plan.expect(video), 1000)).toBeUndefined();
  });

  it('first tasks: ~2 s seen ≤ 150 ms late with fewer polls than a 250 ms poller; ~30 s ≤ 500 ms with under a third', () => {
    const short = measure(2000, 200, false);
    expect(short.medianLate).toBeLessThanOrEqual(150);
    expect(short.polls).toBeLessThanOrEqual(short.fixedPolls);
    const long = measure(30_000, 200, false);
    expect(long.medianLate).toBeLessThanOrEqual(500);
    expect(long.polls).toBeLessThanOrEqual(long.fixedPolls / 3);
  });

  it('later tasks of a kind it learned: ≤ 150 ms late with under a quarter of a 250 ms poller’s polls', () => {
    for (const typical of [2000, 30_000]) {
      const later = measure(typical, 40, true);
      expect(later.medianLate, `${typical} ms`).toBeLessThanOrEqual(150);
      expect(later.polls, `${typical} ms`).toBeLessThanOrEqual(later.fixedPolls / 4);
    }
  });

  it('falls back to the first-task schedule when a task is much slower than learned: it is still seen', () => {
    const plan = planner();
    for (let i = 0; i < 4; i += 1) run(plan, video, 2000);
    const slow = run(plan, video, 30_000);
    expect(slow.late).toBeLessThan(1000);
    expect(slow.polls).toBeLessThan(45);
  });

  it('uses expectedDuration like one finished task while it has none, and what it learns instead', () => {
    const plan = planner();
    const hinted: PlannedTask = { ...video, hint: 30_000 };
    // Sparse first: the hint's window starts at 27 s.
    expect(plan.next(plan.expect(hinted), 0, 1, undefined)).toBe(1687.5);
    expect(plan.estimate(plan.expect(hinted), 15_000)).toBe(50);
    run(plan, video, 2000);
    expect(plan.next(plan.expect(hinted), 0, 1, undefined)).toBeLessThan(2200);
  });

  it('lets the server’s progress decide the wait when it reports progress', () => {
    const plan = planner();
    for (let i = 0; i < 4; i += 1) run(plan, video, 30_000);
    // 50 % after 10 s projects 10 s more; the ×1.5 schedule caps the fifth wait at 5 062.5.
    expect(plan.next(plan.expect(video), 10_000, 5, 50)).toBe(5062.5);
    // A whole 99 % after 29 s spans 293 ms of finish times: aimed at its middle, 29 s × 0.5 / 99.5 more.
    expect(plan.next(plan.expect(video), 29_000, 9, 99)).toBeCloseTo(145.73);
    // 50 % after 1 s spans 39 ms: aimed at its end (50 % taken as it is), where the task is done.
    expect(plan.next(undefined, 1000, 2, 50)).toBe(1000);
    expect(plan.next(plan.expect(video), 29_000, 9, 98.5)).toBeCloseTo(441.62);
  });

  it('neither learns from nor plans by the past of a task it cannot time (key undefined: an attach)', () => {
    const plan = planner();
    for (let i = 0; i < 4; i += 1) run(plan, video, 2000);
    const attached: PlannedTask = { key: undefined, hint: undefined };
    expect(plan.next(plan.expect(attached), 0, 1, undefined)).toBe(1000);
    expect(plan.estimate(plan.expect(attached), 1000)).toBeUndefined();
  });

  it('keeps kinds apart', () => {
    const plan = planner();
    for (let i = 0; i < 4; i += 1) run(plan, video, 30_000);
    expect(plan.next(plan.expect({ key: 'videoInference klingai:5@3 10', hint: undefined }), 0, 1, undefined)).toBe(1000);
    expect(plan.next(plan.expect(video), 0, 1, undefined)).toBeGreaterThan(1000);
  });
});
