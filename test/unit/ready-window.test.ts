import { describe, expect, it } from 'vitest';
import { readyWindow } from '../../src/request/ready-window.js';

/* What earlier tasks of a kind say about the next one's time to ready, in plain numbers. */

describe('readyWindow', () => {
  it('knows nothing without a finished task', () => {
    expect(readyWindow([])).toBeUndefined();
  });

  it('assumes ±10 % around a single observation, polled in steps of 2.5 per window', () => {
    // A caller's expectedDuration of 30 s counts as a task ready at exactly 30 s.
    expect(readyWindow([{ after: 30_000, by: 30_000 }])).toEqual({ start: 27_000, end: 33_000, step: 200, typical: 30_000 });
    const window = readyWindow([{ after: 1900, by: 2100 }])!;
    expect(window.start).toBeCloseTo(1800);
    expect(window.end).toBeCloseTo(2200);
    expect(window.step).toBeCloseTo(160);
  });

  it('spans the middles of the brackets seen, and assumes less beyond them the more there are', () => {
    const brackets = [1800, 1900, 2000, 2100].map((middle) => ({ after: middle - 20, by: middle + 20 }));
    const window = readyWindow(brackets)!;
    // ±10 % / 4 beyond the range 1800–2100.
    expect(window.start).toBeCloseTo(1755);
    expect(window.end).toBeCloseTo(2152.5);
    expect(window.typical).toBe(1950);
  });

  it('widens by the polls’ own uncertainty when the brackets are wider than the assumed spread', () => {
    const window = readyWindow([1, 2, 3, 4, 5, 6, 7, 8].map(() => ({ after: 9000, by: 10_000 })))!;
    // Middle 9 500, half-width 500: the prior's 1.25 % would be narrower.
    expect(window.start).toBe(9000);
    expect(window.end).toBe(10_000);
  });

  it('reads a task found by the first poll after a long wait as ready near the end of that wait', () => {
    // Done at the first poll, 27.2 s after a sparse one at 13.5 s: taken as ready in (24.5, 27.2].
    const window = readyWindow([{ after: 13_500, by: 27_200 }])!;
    expect(window.typical).toBeCloseTo(25_840);
    expect(window.start).toBeGreaterThan(23_000);
  });

  it('never starts before the acknowledgement', () => {
    expect(readyWindow([{ after: 0, by: 10 }])!.start).toBeGreaterThanOrEqual(0);
  });

  it('polls a wide window at most 200 ms apart, a narrow one at least 50 ms apart', () => {
    expect(readyWindow([{ after: 100_000, by: 100_000 }])!.step).toBe(200);
    expect(readyWindow([1, 2, 3, 4, 5, 6, 7, 8].map(() => ({ after: 500, by: 500 })))!.step).toBe(50);
  });
});
