/*
 * When one machine is not enough: the batch-folder job as a queue of jobs on Redis (BullMQ),
 * run by several worker processes (worker.ts), here all on this machine.
 *
 *   npm run example -- queue <folder> [--workers 3]
 *
 * It uses the Redis of REDIS_URL or REDIS_SOCKET, else starts a private redis-server on a unix
 * socket (Debian: apt-get install -y redis-server). Runs against an embedded simulator, which
 * its workers share, unless RUNWARE_API_KEY (or RUNWARE_URL) is set. On several machines, run
 * worker.ts on each and enqueue.ts where the photos are listed.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { photoFolder } from '../support/photo-folder.js';
import { startTarget } from '../support/target.js';
import type { LocalRedis } from './local-redis.js';
import { startLocalRedis } from './local-redis.js';
import { reportLines, runFolder } from './run-folder.js';
import { positiveIntegerOf, queueNameOf, redisOf } from './settings.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { workers: { type: 'string', default: '3' } } });
const photos = await photoFolder(positionals[0], 'npm run example -- queue <folder> [--workers 3]');
const workerCount = positiveIntegerOf({ WORKERS: values.workers }, 'WORKERS', 3);

const ownRedis: LocalRedis | undefined = process.env['REDIS_URL'] === undefined && process.env['REDIS_SOCKET'] === undefined ? await startLocalRedis() : undefined;
const env = { ...process.env, ...(ownRedis === undefined ? {} : { REDIS_SOCKET: ownRedis.socket }) };
const { apiKey, url, line, stop } = await startTarget({ imageLatencyMs: 300 });
console.log(line);
console.log(ownRedis === undefined ? 'Using the Redis of the environment.' : `Started a private Redis on ${ownRedis.socket}.`);

// The workers run as this process runs (same Node, same TypeScript loader), from the repository.
const root = fileURLToPath(new URL('../../', import.meta.url));
const workerFile = fileURLToPath(new URL('./worker.ts', import.meta.url));
const workers: ChildProcess[] = Array.from({ length: workerCount }, () =>
  spawn(process.execPath, [...process.execArgv, workerFile], { cwd: root, env: { ...env, RUNWARE_API_KEY: apiKey, RUNWARE_URL: url }, stdio: ['ignore', 'inherit', 'inherit'] }),
);
const exits = workers.map((worker) => once(worker, 'exit'));
// Jobs wait for workers forever: if every worker is gone, say so instead of hanging.
const allWorkersGone = Promise.all(exits).then(() => {
  throw new Error('every worker has exited');
});

try {
  const outcomes = await Promise.race([runFolder(redisOf(env), queueNameOf(env), photos, (text) => console.log(text)), allWorkersGone]);
  for (const text of reportLines(outcomes)) console.log(text);
  if (outcomes.some((outcome) => 'error' in outcome)) process.exitCode = 1;
} catch (error) {
  console.error(`The queue did not finish: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGTERM');
  await Promise.all(exits);
  allWorkersGone.catch(() => {});
  await ownRedis?.stop();
  await stop();
}
