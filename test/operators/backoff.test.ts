import { describe, expect, it, vi } from 'vitest';
import { backoffDelay } from '../../src/operators/backoff.js';

describe('backoffDelay', () => {
  it('starts at the initial wait and doubles by default', () => {
    const delay = backoffDelay({ initial: 1000 });
    expect([1, 2, 3, 4, 5].map(delay)).toEqual([1000, 2000, 4000, 8000, 16_000]);
  });

  it('treats attempt numbers below 1 as the first attempt', () => {
    const delay = backoffDelay({ initial: 250 });
    expect([0, -3].map(delay)).toEqual([250, 250]);
  });

  it('caps the wait at 30 s by default', () => {
    const delay = backoffDelay({ initial: 1000 });
    expect([5, 6, 7, 20].map(delay)).toEqual([16_000, 30_000, 30_000, 30_000]);
  });

  it('caps the wait at the given max', () => {
    const delay = backoffDelay({ initial: 100, max: 500 });
    expect([1, 2, 3, 4, 10].map(delay)).toEqual([100, 200, 400, 500, 500]);
  });

  it('grows by the given factor', () => {
    const delay = backoffDelay({ initial: 1000, factor: 1.5, max: 10_000 });
    expect([1, 2, 3, 4].map(delay)).toEqual([1000, 1500, 2250, 3375]);
    expect(delay(20)).toBe(10_000);
  });

  it('keeps the wait constant with a factor of 1', () => {
    const delay = backoffDelay({ initial: 700, factor: 1 });
    expect([1, 2, 9].map(delay)).toEqual([700, 700, 700]);
  });

  it('adds random jitter up to the given amount', () => {
    const delay = backoffDelay({ initial: 1000, jitter: 400, random: () => 0.5 });
    expect([1, 2].map(delay)).toEqual([1200, 2200]);
    expect(backoffDelay({ initial: 1000, jitter: 400, random: () => 0 })(1)).toBe(1000);
    expect(backoffDelay({ initial: 1000, jitter: 400, random: () => 0.999 })(1)).toBeLessThan(1400);
  });

  it('adds the jitter after the cap, so capped waits still spread out', () => {
    const delay = backoffDelay({ initial: 1000, max: 5000, jitter: 1000, random: () => 0.25 });
    expect([3, 4, 10].map(delay)).toEqual([4250, 5250, 5250]);
  });

  it('draws a new random number for every wait', () => {
    const random = vi.fn().mockReturnValueOnce(0.1).mockReturnValueOnce(0.9);
    const delay = backoffDelay({ initial: 1000, max: 1000, jitter: 1000, random });
    expect([delay(5), delay(5)]).toEqual([1100, 1900]);
    expect(random).toHaveBeenCalledTimes(2);
  });

  it('does not consult the random source when there is no jitter', () => {
    const random = vi.fn(() => 0.5);
    const delay = backoffDelay({ initial: 1000, random });
    expect(delay(3)).toBe(4000);
    expect(random).not.toHaveBeenCalled();
  });
});
