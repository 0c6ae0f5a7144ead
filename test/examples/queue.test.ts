import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startLocalRedis } from '../../examples/queue/local-redis.js';
import { simulator } from '../support/simulator.js';
import { expectCutOut, writePhotos } from './photos.js';
import type { Running } from './run-example.js';
import { afterThisTest, runExample, startExample, temporaryFolder } from './run-example.js';

/*
 * examples/queue: BullMQ on a Redis started here (Debian's redis-server, on a unix socket in a
 * temporary folder), worker processes and the producer started as users start them (tsx child
 * processes). Everything started is stopped after each test, passed or failed: the producer and
 * workers by SIGKILL, then Redis, then the simulator.
 */

const taskLine = /^worker \d+: job (\S+) submitted ([0-9a-f-]{36})$/;

/** The removeBackground tasks a simulator received for one photo, by the photo's bytes inline. */
async function tasksFor(received: readonly Record<string, unknown>[], path: string) {
  const base64 = (await readFile(path)).toString('base64');
  return received.filter((task) => task['taskType'] === 'removeBackground' && String(task['inputImage']).endsWith(base64));
}

describe('examples/queue', () => {
  it('hands the jobs of a worker killed mid-task to the others, which re-send its taskUUID: every photo is cut out, none generated twice', async () => {
    const redis = await startLocalRedis();
    afterThisTest(() => redis.stop());
    // Each cut-out takes 3 s, so the worker killed right after sending its task dies before the answer.
    const sim = await simulator({ imageLatencyMs: 3000 });
    const folder = await temporaryFolder('runware-queue-');
    const names = await writePhotos(folder, 8);
    const env = {
      REDIS_SOCKET: redis.socket,
      QUEUE_NAME: 'crash-test',
      RUNWARE_URL: sim.url,
      RUNWARE_API_KEY: 'a-local-key',
      QUEUE_CONCURRENCY: '2',
      // A lost worker's jobs are taken over 2 s after its last sign of life, checked twice a second.
      QUEUE_LOCK_MS: '2000',
      QUEUE_STALLED_MS: '500',
    };
    const workers: Running[] = [0, 1, 2].map(() => startExample('examples/queue/worker.ts', { env }));
    await Promise.all(workers.map((worker) => worker.line(/^worker \d+ ready$/)));
    const producer = startExample('examples/queue/enqueue.ts', { env, args: [folder] });

    // The first worker to send a task is killed at once, while the simulator is still making it.
    const first = await Promise.race(workers.map((worker) => worker.line(taskLine).then(([, jobId, taskUUID]) => ({ worker, jobId: jobId!, taskUUID: taskUUID! }))));
    await first.worker.kill();
    expect(first.worker.lines).not.toContainEqual(expect.stringMatching(new RegExp(`: job ${first.jobId} done$`)));

    expect(await producer.exited()).toBe(0);
    const report = producer.lines;
    expect(report).toContain(`job ${first.jobId} stalled: its worker was lost, another worker takes it over`);
    expect(report.at(-1)).toBe('8 of 8 done, 0 failed');
    const survivors = workers.filter((worker) => worker !== first.worker);
    // Another worker took the job over and sent its recorded taskUUID again.
    expect(survivors.flatMap((worker) => worker.lines)).toContainEqual(expect.stringMatching(new RegExp(`: job ${first.jobId} \\(photo-\\d+\\.jpg\\) resumes ${first.taskUUID}$`)));

    const received = sim.receivedTasks();
    for (const name of names) {
      const reported = report.map((line) => new RegExp(`^ok ${name} → ${name.replace('.jpg', '\\.nobg\\.png')} \\(task ([0-9a-f-]{36})\\)$`).exec(line)).find((match) => match !== null);
      const taskUUID = reported?.[1];
      expect(taskUUID, name).toBeDefined();
      // Every submission for this photo, the killed worker's and its successor's, was one task.
      const sent = await tasksFor(received, join(folder, name));
      expect(sent.length, name).toBeGreaterThanOrEqual(1);
      expect(new Set(sent.map((task) => task['taskUUID'])), name).toEqual(new Set([taskUUID]));
      await expectCutOut(join(folder, name.replace('.jpg', '.nobg.png')));
    }
    // The killed worker's task was sent again by its successor (more than once if BullMQ handed the
    // job over twice on a slow machine), answered with a conflict, then polled. The simulator
    // started exactly one task per photo.
    expect(received.filter((task) => task['taskType'] === 'removeBackground' && task['taskUUID'] === first.taskUUID).length).toBeGreaterThanOrEqual(2);
    expect(received.some((task) => task['taskType'] === 'getResponse' && task['taskUUID'] === first.taskUUID)).toBe(true);
    expect(sim.stats().tasksStarted).toEqual({ removeBackground: names.length });
    expect(sim.stats().tasksReceived['removeBackground']).toBeGreaterThan(names.length);
  }, 120_000);

  it('runs with one command: its own Redis, an embedded simulator and two workers', async () => {
    const folder = await temporaryFolder('runware-queue-main-');
    const names = await writePhotos(folder, 4);
    const { code, stdout, stderr } = await runExample('examples/queue/main.ts', { args: [folder, '--workers', '2'] });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Using the embedded Runware simulator at /);
    expect(lines[1]).toMatch(/^Started a private Redis on \/.+\/redis\.sock\.$/);
    expect(lines.filter((line) => line.startsWith('ok '))).toEqual(names.map((name) => expect.stringMatching(new RegExp(`^ok ${name} → ${name.replace('.jpg', '\\.nobg\\.png')} \\(task [0-9a-f-]{36}\\)$`))));
    expect(lines).toContain('4 of 4 done, 0 failed');
    // The run ends when its workers have exited: runExample resolves once every process holding its output has.
    for (const name of names) await expectCutOut(join(folder, name.replace('.jpg', '.nobg.png')));
  }, 120_000);
});
