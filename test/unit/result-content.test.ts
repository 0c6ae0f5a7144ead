import { describe, expect, it } from 'vitest';
import { countOccurrence, resultContent } from '../../src/protocol/result-content.js';

describe('resultContent', () => {
  it('says the same of a result repeated with its fields in another order, at any depth', () => {
    const pushed = { taskType: 'caption', taskUUID: 't', text: 'a fox', meta: { seed: 1, lang: 'en' } };
    const polled = { meta: { lang: 'en', seed: 1 }, text: 'a fox', taskUUID: 't', taskType: 'caption' };
    expect(resultContent(polled)).toBe(resultContent(pushed));
  });

  it('leaves out what changes from one answer to the next or may come once: status, progress, cost', () => {
    const pushed = { taskType: 'caption', taskUUID: 't', text: 'a fox', cost: 0.002 };
    expect(resultContent({ ...pushed, status: 'success', progress: 100, cost: undefined })).toBe(resultContent(pushed));
  });

  it('tells apart results that say different things', () => {
    expect(resultContent({ text: 'a fox' })).not.toBe(resultContent({ text: 'a hare' }));
    expect(resultContent({ results: [1, 2] })).not.toBe(resultContent({ results: [2, 1] }));
  });

  it('reads a seed past 2^53 − 1, a BigInt as answers are read, by its exact value', () => {
    expect(resultContent({ text: 'a fox', seed: 9223372036854775807n })).toBe(resultContent({ seed: 9223372036854775807n, text: 'a fox' }));
    expect(resultContent({ text: 'a fox', seed: 9223372036854775807n })).not.toBe(resultContent({ text: 'a fox', seed: 9223372036854775806n }));
    expect(resultContent({ text: 'a fox', seed: 9007199254740993n })).not.toBe(resultContent({ text: 'a fox', seed: 9007199254740992 }));
  });
});

describe('countOccurrence', () => {
  it('counts from 0 how many times the same words came before', () => {
    const counts = new Map<string, number>();
    expect(['a', 'b', 'a', 'a', 'b'].map((words) => countOccurrence(counts, words))).toEqual([0, 0, 1, 2, 1]);
  });
});
