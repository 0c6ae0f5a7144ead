import { basename, join } from 'node:path';
import type { ConnectionOptions } from 'bullmq';
import { Job, Queue, QueueEvents } from 'bullmq';
import type { PhotoFolder } from '../support/photo-folder.js';
import type { CutOutDone, CutOutJob } from './settings.js';

/** How one photo's job ended. */
export type JobOutcome =
  | { readonly file: string; readonly output: string; readonly taskUUID: string }
  | { readonly file: string; readonly error: string; readonly taskUUID: string | undefined };

/**
 * Puts a job on the queue for every *.jpg of a folder and waits until each has finished,
 * whichever workers run them.
 *
 * @param connection Where Redis is.
 * @param queueName The workers' queue.
 * @param photos The photos' folder (the cut-outs are written beside them) and its photos.
 * @param log Told when a worker is lost and its job handed over.
 * @returns Each photo's outcome, in name order.
 */
export async function runFolder(connection: ConnectionOptions, queueName: string, { folder, files }: PhotoFolder, log: (line: string) => void): Promise<JobOutcome[]> {
  const queue = new Queue<CutOutJob, CutOutDone>(queueName, { connection });
  // Listening before the jobs are added, so that no completion can be missed.
  const events = new QueueEvents(queueName, { connection });
  try {
    await events.waitUntilReady();
    events.on('stalled', ({ jobId }) => log(`job ${jobId} stalled: its worker was lost, another worker takes it over`));
    const jobs = await queue.addBulk(files.map((file) => ({ name: 'cut-out', data: { input: join(folder, file) }, opts: { removeOnComplete: false } })));
    return await Promise.all(
      jobs.map(async (job): Promise<JobOutcome> => {
        const file = basename(job.data.input);
        try {
          const done = await job.waitUntilFinished(events);
          return { file, output: done.output, taskUUID: done.taskUUID };
        } catch (error) {
          // The job's data says which task it was, if a worker got as far as choosing one.
          const latest = job.id === undefined ? undefined : await Job.fromId<CutOutJob, CutOutDone>(queue, job.id);
          return { file, error: error instanceof Error ? error.message : String(error), taskUUID: latest?.data.taskUUID };
        }
      }),
    );
  } finally {
    await events.close();
    await queue.close();
  }
}

/**
 * The report of a run, one line per photo, then the totals.
 *
 * @param outcomes What {@link runFolder} resolved with.
 * @returns The lines.
 */
export function reportLines(outcomes: readonly JobOutcome[]): string[] {
  const lines = outcomes.map((outcome) =>
    'output' in outcome
      ? `ok ${outcome.file} → ${basename(outcome.output)} (task ${outcome.taskUUID})`
      : `failed ${outcome.file}: ${outcome.error} (task ${outcome.taskUUID ?? 'not chosen'})`,
  );
  const failed = outcomes.filter((outcome) => 'error' in outcome).length;
  return [...lines, `${outcomes.length - failed} of ${outcomes.length} done, ${failed} failed`];
}
