import { describe, expect, it } from 'vitest';
import { estimatedProgress } from '../../src/request/estimated-progress.js';

describe('estimatedProgress', () => {
  it('is the time run over the typical time, in whole percent', () => {
    expect(estimatedProgress(0, 2000)).toBe(0);
    expect(estimatedProgress(1500, 2000)).toBe(75);
    expect(estimatedProgress(1999, 2000)).toBe(99);
  });

  it('says 99 for a task that runs late, never 100: only the server says a task is done', () => {
    expect(estimatedProgress(2000, 2000)).toBe(99);
    expect(estimatedProgress(60_000, 2000)).toBe(99);
  });

  it('says 0 for nonsense typical times', () => {
    expect(estimatedProgress(100, 0)).toBe(0);
    expect(estimatedProgress(100, Number.NaN)).toBe(0);
  });
});
