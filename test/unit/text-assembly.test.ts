import { describe, expect, it } from 'vitest';
import type { ShownAnswer } from '../../src/protocol/text-stream.js';
import { TextAssembly } from '../../src/protocol/text-stream.js';

/*
 * A streamed answer assembled from its chunks, and what of it is delivered when an earlier
 * stream of the same task delivered part of it already.
 */

const assembly = (shown?: ShownAnswer): TextAssembly => new TextAssembly('textInference', 't-1', shown);
const deltas = (items: unknown): unknown[] => (Array.isArray(items) ? items.map((item: Record<string, unknown>) => item['delta']).filter((delta) => delta !== undefined) : [items]);

describe('TextAssembly', () => {
  it('delivers every piece of a first stream as it came, and records it as delivered', () => {
    const shown = { text: '', reasoning: '' };
    const answer = assembly(shown);
    expect(deltas(answer.add({ delta: { text: '' } }))).toEqual([{ text: '' }]);
    expect(deltas(answer.add({ delta: { text: 'Hel', reasoningContent: 'hm' } }))).toEqual([{ text: 'Hel', reasoningContent: 'hm' }]);
    expect(answer.add({ delta: { text: 'lo' }, finishReason: 'stop' })).toMatchObject([{ delta: { text: 'lo' } }, { text: 'Hello', reasoningContent: 'hm', finishReason: 'stop' }]);
    expect(shown).toEqual({ text: 'Hello', reasoning: 'hm' });
  });

  it('delivers, of a stream that repeats what was delivered, only what is new: a piece repeated whole not at all, one that overlaps its new end', () => {
    const shown = { text: 'Hello', reasoning: 'hm' };
    const answer = assembly(shown);
    expect(answer.add({ delta: { text: 'Hel', reasoningContent: 'h' } })).toEqual([]);
    expect(deltas(answer.add({ delta: { text: 'lo, w', reasoningContent: 'mm' } }))).toEqual([{ text: ', w', reasoningContent: 'm' }]);
    expect(deltas(answer.add({ delta: { text: 'orld' } }))).toEqual([{ text: 'orld' }]);
    expect(answer.add({ usage: { totalTokens: 2 } })).toEqual([]);
    expect(answer.end()).toMatchObject([{ text: 'Hello, world', reasoningContent: 'hmm', usage: { totalTokens: 2 } }]);
    expect(shown).toEqual({ text: 'Hello, world', reasoning: 'hmm' });
  });

  it('does not deliver a piece repeated whole, whatever else its delta says; one past what was delivered goes whole, an empty one too', () => {
    const answer = assembly({ text: 'Hi', reasoning: '' });
    expect(answer.add({ delta: { text: 'Hi', role: 'assistant' } })).toEqual([]);
    expect(deltas(answer.add({ delta: { text: '!', role: 'assistant' } }))).toEqual([{ text: '!', role: 'assistant' }]);
    expect(deltas(answer.add({ delta: { reasoningContent: '' } }))).toEqual([{ reasoningContent: '' }]);
  });

  it('says which field diverged when a repeated stream says other words, or ends before it said all that was delivered, and makes nothing more', () => {
    const reasoning = assembly({ text: '', reasoning: 'think' });
    expect(reasoning.add({ delta: { reasoningContent: 'thing' } })).toEqual({ diverged: 'reasoningContent' });
    expect(reasoning.add({ delta: { text: 'more' } })).toEqual([]);
    expect(reasoning.end()).toEqual([]);
    const short = assembly({ text: 'Hello', reasoning: '' });
    expect(short.add({ delta: { text: 'Hel' } })).toEqual([]);
    expect(short.add({ finishReason: 'stop' })).toEqual({ diverged: 'text' });
  });
});
