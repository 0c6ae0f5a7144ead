import { describe, expect, it } from 'vitest';
import { createOutbox } from '../../src/connection/create-outbox.js';

describe('createOutbox', () => {
  it('fills a frame up to exactly maxFrameLength characters', () => {
    const frames: string[] = [];
    const scheduled: (() => void)[] = [];
    const outbox = createOutbox({
      write: (frame) => {
        frames.push(frame);
        return true;
      },
      maxFrameLength: 17,
      flushAt: Infinity,
      schedule: (work) => scheduled.push(work),
      sent: () => undefined,
    });
    outbox.push('{"n":1}');
    outbox.push('{"n":2}');
    scheduled.forEach((work) => work());
    expect(frames).toEqual(['[{"n":1},{"n":2}]']);
    expect(frames[0]).toHaveLength(17);
  });
});
