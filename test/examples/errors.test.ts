import { describe, expect, it } from 'vitest';
import { simulator } from '../support/simulator.js';
import { runExample } from './run-example.js';

/*
 * examples/errors.ts as a child process: as it is (its embedded simulator fails a few generations
 * itself), and against a simulator of the test's whose fault injection fails generations for real.
 */

const file = 'examples/errors.ts';
const taskOf = (line: string | undefined) => /task ([0-9a-f-]{36})/.exec(line ?? '')?.[1];

describe('examples/errors', () => {
  it('run as it is, branches on each failure’s code and collects a batch’s successes and failures', async () => {
    const { code, stdout, stderr } = await runExample(file);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^width 5000: validation \(no task\): fix the request \(width\)$/m);
    expect(stdout).toMatch(/^unknown model: notFound \(task [0-9a-f-]{36}, server code modelNotFound\): check the model or media named$/m);
    expect(stdout).toMatch(/^wrong key: auth \(task [0-9a-f-]{36}, never sent, server code invalidApiKey\): check RUNWARE_API_KEY$/m);
    expect(stdout).toContain('  3 of 4 images delivered');
    expect(stdout).toContain('  3 of 5 prompts succeeded');
  });

  it('reports the failures a simulator really produced, each with the taskUUID the simulator received', async () => {
    const apiKey = 'the-right-key-1234';
    const sim = await simulator({ media: false, apiKey });
    // The next five generations fail as a provider's would: the four of the settled request, then the batch's first.
    sim.faults.failNextItems(5, 'timeoutProvider');
    const { code, stdout } = await runExample(file, { env: { RUNWARE_URL: sim.url, RUNWARE_API_KEY: apiKey } });
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    const received = sim.receivedTasks().filter((task) => task['taskType'] === 'imageInference');

    // Nothing of the refused width was sent; the unknown model was, under the taskUUID logged.
    expect(received.some((task) => task['width'] === 5000)).toBe(false);
    const unknownModel = received.find((task) => task['model'] === 'nonexistent:999@999');
    expect(taskOf(lines.find((line) => line.startsWith('unknown model: ')))).toBe(unknownModel?.['taskUUID']);

    const settled = received.find((task) => task['numberResults'] === 4);
    const imageLines = lines.filter((line) => /^ {2}image \d: /.test(line));
    expect(imageLines).toHaveLength(4);
    for (const line of imageLines) {
      expect(line).toMatch(/: timeout \(task [0-9a-f-]{36}, server code timeoutProvider\): try again later$/);
      expect(taskOf(line)).toBe(settled?.['taskUUID']);
    }
    expect(stdout).toContain('  0 of 4 images delivered');

    const failed = lines.filter((line) => line.startsWith('  failed "'));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/^ {2}failed "a lighthouse at dusk": timeout \(task /);
    expect(taskOf(failed[0])).toBe(received.find((task) => task['positivePrompt'] === 'a lighthouse at dusk')?.['taskUUID']);
    expect(lines.filter((line) => line.startsWith('  ok "'))).toHaveLength(4);
    expect(stdout).toContain('  4 of 5 prompts succeeded');
    expect(sim.faults.counts().itemFailure).toBe(5);
  });
});
