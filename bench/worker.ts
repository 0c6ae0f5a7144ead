/**
 * Child-process entry: runs one repetition of one scenario for one client and prints
 * `@@RESULT <json>`. Started by lib/child.ts with `--expose-gc`; exits explicitly, so sockets,
 * timers and polls left behind by a client never keep it alive.
 */
import { loadClient } from './clients/index.js';
import type { ClientName } from './clients/types.js';
import type { ChildJob } from './lib/child.js';
import { ERROR_PREFIX, RESULT_PREFIX } from './lib/child.js';
import { SCENARIOS } from './scenarios/index.js';

const job = JSON.parse(process.argv[2] ?? '{}') as ChildJob;

const fail = (message: string, code: number): void => {
  process.stdout.write(`\n${ERROR_PREFIX}${message.replace(/\s+/g, ' ').slice(0, 400)}\n`, () => process.exit(code));
  // Exit even if stdout never drains.
  setTimeout(() => process.exit(code), 1000).unref();
};

setTimeout(() => fail(`gave up after ${Math.round(job.timeoutMs / 1000)} s`, 2), job.timeoutMs);
// The orchestrator holds our stdin open; if it dies, stop at once.
process.stdin.on('end', () => process.exit(3));
process.stdin.resume();

try {
  // The benchmark is of the built package, as users install it (npm run bench builds it first).
  const resolved = import.meta.resolve('runware-rx');
  if (!resolved.endsWith('/dist/index.js')) throw new Error(`runware-rx resolves to ${resolved}, not dist/ (run the bundled worker)`);
  const scenario = SCENARIOS[job.scenario];
  if (scenario === undefined) throw new Error(`unknown scenario ${job.scenario}`);
  const factory = await loadClient(job.client as ClientName);
  const value = await scenario.measure({
    client: job.client as ClientName,
    factory,
    urls: job.urls,
    apiKey: job.apiKey,
    params: job.params,
  });
  process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify(value)}\n`, () => process.exit(0));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error), 1);
}
