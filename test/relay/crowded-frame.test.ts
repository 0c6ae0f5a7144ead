import { describe, expect, it } from 'vitest';
import type { RunwareError } from 'runware-rx';
import { browser, IMAGE, realKeySimulator, relayServer } from './support.js';

/*
 * An application lowers maxTasksPerFrame; its page, unaware of the relay's limit, sends a burst
 * that runware-rx writes as one frame. The relay refuses the frame, and each request must hear
 * so: a refusal that names no task fails none, and the page's requests would wait for their
 * answer deadline (two minutes by default), then be sent again into the same refusal.
 */

const ALICE = 'alice-session-token';

describe('a page’s burst of more tasks than maxTasksPerFrame', () => {
  it('fails each of its requests with a validation error (invalidPayload) as soon as the relay answers; none is left waiting, none goes upstream', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, { maxTasksPerFrame: 4 });
    let answered = (): void => undefined;
    const refusal = new Promise<void>((resolve) => (answered = resolve));
    const alice = browser(server, ALICE, {
      logger: (record) => {
        if (record.event === 'frame.in' && record.detail.includes('invalidPayload')) answered();
      },
    });
    await alice.connect();
    // Six submissions in one turn: runware-rx writes them as one frame.
    const outcomes = Array.from({ length: 6 }, () => alice.imageInference(IMAGE).then(() => 'resolved', (error: unknown) => error));
    await refusal;
    // The reply is dispatched as it arrives; its rejections are settled within the same turn.
    const settled = await Promise.race([Promise.all(outcomes), new Promise<'still waiting'>((resolve) => setImmediate(() => resolve('still waiting')))]);
    expect(settled).not.toBe('still waiting');
    for (const outcome of settled as unknown[]) {
      expect(outcome).toMatchObject({ code: 'validation', serverCode: 'invalidPayload', retryable: false } satisfies Partial<RunwareError>);
    }
    expect(sim.receivedTasks().filter((task) => task.taskType === 'imageInference')).toEqual([]);
  });
});
