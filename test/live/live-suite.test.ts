import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { simulator } from '../support/simulator.js';
import { describeRun, repoRoot, run, tool } from '../package/support/consumer-project.js';

/*
 * `npm run test:live` talks to the real API only when someone runs it with a key, which CI never
 * does. So that its code cannot rot unseen, this test (part of `npm test`) runs it twice: without
 * a key, where it must skip everything and say why, and pointed at the simulator, where every
 * check must run. Nothing here reaches beyond loopback.
 */

const KEY = 'live-suite-key-0123456789';
const temporary: string[] = [];
afterEach(async () => {
  await Promise.all(temporary.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

interface Outcome {
  readonly title: string;
  readonly status: string;
}

/** Runs the live suite as `npm run test:live` does, and reads vitest's JSON report. */
async function runLiveSuite(env: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), 'runware-live-'));
  temporary.push(dir);
  const report = join(dir, 'report.json');
  const args = [tool('vitest/vitest.mjs'), 'run', '-c', 'test/live/vitest.config.ts', '--reporter=json', '--reporter=default', `--outputFile.json=${report}`];
  const result = await run(process.execPath, args, { cwd: repoRoot, env });
  const parsed = JSON.parse(await readFile(report, 'utf8')) as { testResults: { assertionResults: Outcome[] }[] };
  return { result, outcomes: parsed.testResults.flatMap((file) => file.assertionResults) };
}

/** The outcomes each live check must have against the simulator: the same as against the API. */
const EXPECTED_AGAINST_SIMULATOR: readonly (readonly [prefix: string, allowed: readonly string[]])[] = [
  ['a wrong API key is rejected', ['passed']],
  ['runware:100@1 with includeCost', ['passed']],
  ['imageInference with the model nonexistent:999@999', ['passed']],
  ['videoInference with the model nonexistent:999@999', ['passed']],
  ['pixverse:1@5 accepts a portrait', ['passed']],
  ['a video cancelled once acknowledged', ['passed']],
  ['promptEnhance without promptMaxLength', ['passed']],
  ['upscale of an image given by an external URL', ['passed']],
];

// Two nested vitest runs: a bound for a busy machine, not a measurement.
describe('npm run test:live', { timeout: 120_000 }, () => {
  it('without RUNWARE_API_KEY skips every check, says why, and succeeds', async () => {
    const { result, outcomes } = await runLiveSuite({});
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout).toContain('RUNWARE_API_KEY is not set, so every live check is skipped.');
    expect(outcomes.length).toBe(EXPECTED_AGAINST_SIMULATOR.length);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(outcomes.map(() => 'skipped'));
  });

  it('pointed at a simulator with RUNWARE_URL and a key, runs every check and prints the answers', async () => {
    const target = await simulator({ apiKey: KEY, media: false, videoReadyAfterMs: 100 });
    const { result, outcomes } = await runLiveSuite({ RUNWARE_URL: target.url, RUNWARE_API_KEY: KEY });
    expect(outcomes.length, describeRun(result)).toBe(EXPECTED_AGAINST_SIMULATOR.length);
    for (const [prefix, allowed] of EXPECTED_AGAINST_SIMULATOR) {
      const outcome = outcomes.find((candidate) => candidate.title.startsWith(prefix));
      expect(allowed, `${prefix}: ${outcome?.status ?? 'missing'}\n${describeRun(result)}`).toContain(outcome?.status);
    }
    expect(result.stdout).toContain('[live] authentication with a wrong key: {"code":"auth","serverCode":"invalidApiKey"');
    expect(result.stdout).toContain('[live] videoInference cancelled through its AbortSignal: {"error":{"code":"aborted"');
    // The simulator saw the requests: the suite is not a string of skips.
    expect(target.stats().tasksReceived).toMatchObject({ imageInference: expect.any(Number), videoInference: expect.any(Number) });
  });
});
