/*
 * A queue worker: takes cut-out jobs from Redis (BullMQ) and runs them through runware-rx.
 * Start as many as you like, on as many machines: each job is run by one worker at a time, and
 * the job of a worker that dies is handed to another once its lock expires (BullMQ's stalled
 * jobs).
 *
 *   REDIS_URL=redis://127.0.0.1:6379 RUNWARE_API_KEY=... npx tsx --tsconfig tsconfig.node.json examples/queue/worker.ts
 *
 * Every worker must reach the same Runware endpoint: the API (RUNWARE_API_KEY), or one
 * simulator (RUNWARE_URL), never an embedded one of its own. Settings: QUEUE_NAME,
 * QUEUE_CONCURRENCY (jobs at once, default 4), QUEUE_LOCK_MS (how long a silent worker keeps
 * its jobs, default 30 000), QUEUE_STALLED_MS (how often locks are checked, default 30 000).
 *
 * Why nothing is generated twice: a job's taskUUID is chosen and written into the job *before*
 * the task is sent. A worker that takes over a job sends the same task under the same taskUUID:
 * if the server never got it, it runs now; if it did, the server answers `conflictTaskUUID` and
 * runware-rx polls that task for its result. (`attach` would only cover the second case.)
 */
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { Job } from 'bullmq';
import { Worker } from 'bullmq';
import { lastValueFrom } from 'rxjs';
import { createRunware, isRunwareError } from 'runware-rx';
import { cutOut$ } from '../batch-folder/cut-out.js';
import { targetFromEnv } from '../support/target.js';
import type { CutOutDone, CutOutJob } from './settings.js';
import { positiveIntegerOf, queueNameOf, redisOf } from './settings.js';

const env = process.env;
const target = targetFromEnv(env);
if (target.kind === 'embedded') {
  console.error('A worker needs the endpoint every worker shares: set RUNWARE_API_KEY, or RUNWARE_URL of a simulator (npm run example -- queue starts one).');
  process.exit(2);
}
const runware = createRunware({ apiKey: target.apiKey, url: target.url });
const id = `worker ${process.pid}`;

async function cutOut(job: Job<CutOutJob, CutOutDone>): Promise<CutOutDone> {
  const name = basename(job.data.input);
  let { taskUUID } = job.data;
  if (taskUUID === undefined) {
    taskUUID = randomUUID();
    // Recorded before anything is sent: from here on, the task is this job's whatever happens to us.
    await job.updateData({ ...job.data, taskUUID });
    console.log(`${id}: job ${job.id} (${name}) chose ${taskUUID}`);
  } else {
    console.log(`${id}: job ${job.id} (${name}) resumes ${taskUUID}`);
  }
  try {
    const output = await lastValueFrom(
      cutOut$(runware, job.data.input, {
        request: { taskUUID },
        onEvent: (event) => {
          if (event.type === 'submitted') console.log(`${id}: job ${job.id} submitted ${event.taskUUID}`);
        },
      }),
    );
    console.log(`${id}: job ${job.id} done`);
    return { output, taskUUID };
  } catch (error) {
    // The job's failure keeps the code (BullMQ stores the message only).
    throw isRunwareError(error) ? new Error(`${error.code}: ${error.message}`) : error;
  }
}

const worker = new Worker<CutOutJob, CutOutDone>(queueNameOf(env), cutOut, {
  connection: redisOf(env),
  concurrency: positiveIntegerOf(env, 'QUEUE_CONCURRENCY', 4),
  lockDuration: positiveIntegerOf(env, 'QUEUE_LOCK_MS', 30_000),
  stalledInterval: positiveIntegerOf(env, 'QUEUE_STALLED_MS', 30_000),
  // A job whose worker was lost is taken over twice at most, then fails.
  maxStalledCount: 2,
});
worker.on('failed', (job, error) => console.log(`${id}: job ${job?.id} failed: ${error.message}`));
worker.on('error', (error) => console.error(`${id}: ${error.message}`));
const stop = async (): Promise<void> => {
  // Finishes the jobs in hand, takes no more, then closes the Runware connection.
  await worker.close();
  await runware.disconnect();
  console.log(`${id} stopped`);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
await worker.waitUntilReady();
console.log(`${id} ready`);
