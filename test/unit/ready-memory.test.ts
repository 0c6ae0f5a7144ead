import { describe, expect, it } from 'vitest';
import { createReadyMemory } from '../../src/request/ready-memory.js';
import { readyKey } from '../../src/request/ready-key.js';

describe('the ready memory', () => {
  it('keeps the latest brackets of each kind, oldest first', () => {
    const memory = createReadyMemory({ perKey: 2, keys: 10 });
    for (const by of [1, 2, 3]) memory.remember('video', { after: 0, by });
    expect(memory.recall('video')).toEqual([
      { after: 0, by: 2 },
      { after: 0, by: 3 },
    ]);
    expect(memory.recall('audio')).toEqual([]);
  });

  it('forgets the kind that finished a task least recently when it holds too many', () => {
    const memory = createReadyMemory({ perKey: 2, keys: 2 });
    memory.remember('a', { after: 0, by: 1 });
    memory.remember('b', { after: 0, by: 1 });
    memory.remember('a', { after: 0, by: 2 });
    memory.remember('c', { after: 0, by: 1 });
    expect(memory.recall('b')).toEqual([]);
    expect(memory.recall('a')).toHaveLength(2);
    expect(memory.recall('c')).toHaveLength(1);
  });
});

describe('readyKey', () => {
  it('tells kinds apart by task type, model and duration, and by nothing else', () => {
    const five = readyKey({ taskType: 'videoInference', model: 'klingai:5@3', duration: 5, positivePrompt: 'waves' });
    expect(readyKey({ taskType: 'videoInference', model: 'klingai:5@3', duration: 5, positivePrompt: 'dunes', width: 512 })).toBe(five);
    expect(readyKey({ taskType: 'videoInference', model: 'klingai:5@3', duration: 10 })).not.toBe(five);
    expect(readyKey({ taskType: 'videoInference', model: 'google:3@3', duration: 5 })).not.toBe(five);
    expect(readyKey({ taskType: 'audioInference', model: 'klingai:5@3', duration: 5 })).not.toBe(five);
    expect(readyKey({ taskType: 'removeBackground' })).toBe('removeBackground  ');
  });
});
