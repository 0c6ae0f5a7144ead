import { describe, expect, it } from 'vitest';
import type { LogRecord } from 'runware-rx';
import { isRunwareError } from 'runware-rx';
import { client, simulator } from '../support/simulator.js';
import { waitFor } from '../support/wait-for.js';

const IMAGE = { model: 'runware:101@1', positivePrompt: 'a token that changes', width: 512, height: 512 };

/** A simulator that lets every key in and records them, in order. */
const recordingSimulator = async () => {
  const offered: string[] = [];
  const sim = await simulator({ media: false, apiKey: (key) => offered.push(key) > 0 });
  return { sim, offered };
};

describe('apiKey given as a function', () => {
  it('is asked at every authentication, so a reconnection authenticates with a fresh token', async () => {
    const { sim, offered } = await recordingSimulator();
    let issued = 0;
    const runware = client(sim, { apiKey: () => `session-token-${++issued}` });
    await runware.imageInference(IMAGE);
    expect(offered).toEqual(['session-token-1']);
    sim.faults.drop();
    await waitFor(() => offered.length === 2);
    await runware.imageInference(IMAGE);
    expect(offered).toEqual(['session-token-1', 'session-token-2']);
  });

  it('may answer with a promise: the socket waits for it, then authenticates', async () => {
    const { sim, offered } = await recordingSimulator();
    const runware = client(sim, { apiKey: () => new Promise<string>((resolve) => setTimeout(() => resolve('async-session-token'), 20)) });
    const [image] = await runware.imageInference(IMAGE);
    expect(image?.imageURL).toMatch(/^http:/);
    expect(offered).toEqual(['async-session-token']);
  });

  it('that throws fails the first connection with an auth error naming the cause, and sends nothing', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim, {
      apiKey: () => {
        throw new Error('token service unavailable');
      },
    });
    const failure: unknown = await runware.imageInference(IMAGE).catch((error: unknown) => error);
    expect(isRunwareError(failure) && failure.message).toContain('token service unavailable');
    expect(sim.receivedTasks()).toEqual([]);
  });

  it('that gives no string is a final auth error', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim, { apiKey: () => Promise.resolve('') });
    const failure: unknown = await runware.connect().catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'auth', retryable: false });
    expect(sim.receivedTasks()).toEqual([]);
  });

  it('keeps the token it read out of every log line', async () => {
    const sim = await simulator({ media: false });
    const logged: LogRecord[] = [];
    const token = 'expiring-session-token-0123456789';
    const runware = client(sim, { apiKey: async () => token, logger: (record) => logged.push(record) });
    await runware.imageInference(IMAGE);
    expect(logged.some((record) => record.detail.includes('"taskType":"authentication"'))).toBe(true);
    expect(logged.filter((record) => record.detail.includes(token))).toEqual([]);
  });

  it('is checked with the options: anything but a string or a function is refused by name', () => {
    expect(() => client({ url: 'ws://127.0.0.1:1/v1' } as never, { apiKey: 42 as never })).toThrow(/apiKey is required/);
  });
});
