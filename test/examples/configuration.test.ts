import { describe, expect, it } from 'vitest';
import { simulator } from '../support/simulator.js';
import { runExample, valueAfter } from './run-example.js';

/* examples/configuration.ts, run as a child process with the one command, as a user runs it. */

const file = 'examples/configuration.ts';

describe('examples/configuration', () => {
  it('run as it is, connects explicitly to its embedded simulator, generates an image and disconnects', async () => {
    const { code, stdout, stderr } = await runExample(file);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Using the embedded Runware simulator at ws:\/\/127\.0\.0\.1:\d+\/v1 \(set RUNWARE_API_KEY to use the Runware API\)$/m);
    const states = [...stdout.matchAll(/^connection: (\w+)$/gm)].map(([, state]) => state);
    expect(states).toEqual(['idle', 'connecting', 'authenticating', 'open', 'closed']);
    expect(valueAfter(stdout, 'image')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\/[0-9a-f-]+\.jpg$/);
  });

  it('carries a rate-limited task through with its maxRetries and retryDelay, under one taskUUID', async () => {
    const sim = await simulator({ media: false });
    sim.faults.rateLimitBurst(2);
    const { code, stdout } = await runExample(file, { env: { RUNWARE_URL: sim.url, RUNWARE_API_KEY: 'a-local-key' } });
    expect(code).toBe(0);
    expect(stdout).toContain(`Using a Runware simulator at ${sim.url} (RUNWARE_URL is on this machine).`);
    const retries = [...stdout.matchAll(/^retrying ([0-9a-f-]+) \(attempt (\d), in (\d+) ms\): (\w+)$/gm)].map(([, taskUUID, attempt, delay, reason]) => ({ taskUUID, attempt, delay, reason }));
    const sent = sim.receivedTasks().filter((task) => task['taskType'] === 'imageInference');
    expect(sent).toHaveLength(3);
    const taskUUID = sent[0]?.['taskUUID'];
    expect(sent.map((task) => task['taskUUID'])).toEqual([taskUUID, taskUUID, taskUUID]);
    expect(retries).toEqual([
      { taskUUID, attempt: '1', delay: '500', reason: 'rateLimit' },
      { taskUUID, attempt: '2', delay: '1000', reason: 'rateLimit' },
    ]);
    expect(valueAfter(stdout, 'image')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\//);
  });

  it('with a wrong key, fails at connect() with an auth error, sends no task and exits with 1', async () => {
    const sim = await simulator({ media: false, apiKey: 'the-right-key-1234' });
    const { code, stdout, stderr } = await runExample(file, { env: { RUNWARE_URL: sim.url, RUNWARE_API_KEY: 'a-wrong-key-5678' } });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^failed \(auth\): /m);
    expect(stdout).not.toMatch(/^image: /m);
    expect(sim.stats().tasksReceived).toEqual({ authentication: 1 });
  });
});
