import { describe, expect, it } from 'vitest';
import { eventChunks, readStreamEvent } from '../../src/protocol/stream-event.js';

/*
 * What one Server-Sent Event's data holds. The SSE rules join an event's data lines with "\n"
 * and dispatch the event only at a blank line; these are the chunks runware-rx reads in it.
 */

describe('eventChunks', () => {
  it('takes the data of an event of one line as one chunk, whatever it says', () => {
    expect(eventChunks('{"delta":{"text":"Hi"}}')).toEqual(['{"delta":{"text":"Hi"}}']);
    expect(eventChunks('[DONE]')).toEqual(['[DONE]']);
    expect(eventChunks('not JSON')).toEqual(['not JSON']);
  });

  it('takes data that is one JSON value over several lines as one chunk', () => {
    const data = '{\n "delta": {\n  "text": "Hi"\n }\n}';
    expect(eventChunks(data)).toEqual([data]);
  });

  it('takes data whose every line is a JSON object or [DONE], and which is not one JSON value, as those chunks in turn', () => {
    expect(eventChunks('{"delta":{"text":"Hel"}}\n{"delta":{"text":"lo"}}\n[DONE]')).toEqual(['{"delta":{"text":"Hel"}}', '{"delta":{"text":"lo"}}', '[DONE]']);
  });

  it('leaves data whole when one of its lines is not a JSON object, so that it is read as the unreadable event it is', () => {
    for (const data of ['{"delta":{"text":"Hel"}}\nlo', '{"a":1}\n\n{"b":2}', '{"a":1}\n[1,2]']) {
      expect(eventChunks(data)).toEqual([data]);
      expect(readStreamEvent(data)).toMatchObject({ kind: 'unreadable' });
    }
  });

  it('reads an integer past 2^53 − 1 in a chunk (the seed of the last event) exactly, as a BigInt of its digits, as every frame is read', () => {
    expect(readStreamEvent('{"finishReason":"stop","seed":9223372036854775807}')).toEqual({ kind: 'chunk', chunk: { finishReason: 'stop', seed: 9223372036854775807n } });
    expect(readStreamEvent('{"delta":{"text":"Hel"},"seed":7}')).toEqual({ kind: 'chunk', chunk: { delta: { text: 'Hel' }, seed: 7 } });
  });
});
