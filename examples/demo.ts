/*
 * The runware-rx demo: several images and a video generated at once over one connection, with
 * live progress, saved to ./out. Runs against the embedded simulator unless RUNWARE_API_KEY is
 * set, in which case it uses the real Runware API (and spends credits).
 */
import { stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { Observable } from 'rxjs';
import { catchError, concat, defer, lastValueFrom, map, merge, mergeMap, of, scan, tap } from 'rxjs';
import type { TaskEvent } from 'runware-rx';
import { createRunware, raw } from 'runware-rx';
import { startSimulator } from 'runware-rx/simulator';
import type { BoardUpdate, Row } from './demo/board.js';
import { applyUpdate, renderBoard } from './demo/board.js';
import type { Job } from './demo/jobs.js';
import { jobs } from './demo/jobs.js';
import { createRenderer } from './demo/renderer.js';
import type { MediaSource } from './demo/save-media.js';
import { saveMedia } from './demo/save-media.js';

const outDir = resolve(process.env['DEMO_OUT'] ?? 'out');
const apiKey = process.env['RUNWARE_API_KEY'];
const simulator = apiKey === undefined ? await startSimulator({ videoReadyAfterMs: 4000 }) : undefined;
const runware = createRunware(simulator === undefined ? { apiKey } : { apiKey: 'demo-key', url: simulator.url });
console.log(simulator === undefined ? 'Using the Runware API (RUNWARE_API_KEY is set).' : `Using the embedded Runware simulator at ${simulator.url}`);

/** One job as a stream of board updates: its request events, then each saved file. */
function run(job: Job): Observable<BoardUpdate> {
  const { name } = job;
  const events$: Observable<TaskEvent> = job.kind === 'image' ? runware.image$(job.params) : runware.video$(job.params);
  return events$.pipe(
    mergeMap((event) => {
      const update = of<BoardUpdate>({ name, type: 'event', event, at: Date.now() });
      if (event.type !== 'result') return update;
      const save$ = defer(() => saveMedia(outDir, `${name}-${event.index + 1}`, sourceOf(event.item))).pipe(
        map((file): BoardUpdate => ({ name, type: 'saved', file, at: Date.now() })),
      );
      return concat(update, save$);
    }),
    catchError((error: Error) => of<BoardUpdate>({ name, type: 'failed', message: error.message, at: Date.now() })),
  );
}

function sourceOf(result: unknown): MediaSource {
  const item = raw(result as object);
  const url = item['imageURL'] ?? item['videoURL'];
  if (typeof url === 'string') return { url };
  if (typeof item['imageBase64Data'] === 'string') return { base64: item['imageBase64Data'], mime: 'image/jpeg' };
  throw new Error('the result carries no media');
}

function describeJob(job: Job): string {
  const { width, height } = job.params;
  const format = job.kind === 'image' ? (job.params.outputFormat ?? 'JPG') : 'MP4';
  return `${job.kind} ${width ?? '?'}×${height ?? '?'} ${format}`;
}

const startedAt = Date.now();
const initial: ReadonlyMap<string, Row> = new Map(
  jobs.map((job) => [job.name, { name: job.name, detail: describeJob(job), state: 'queued', startedAt, files: [] }]),
);
const renderer = createRenderer(process.stdout, (board) => renderBoard(board, Date.now()));
const board = await lastValueFrom(
  merge(...jobs.map(run)).pipe(
    scan(applyUpdate, initial),
    tap((current) => renderer.update(current)),
  ),
  { defaultValue: initial },
);
renderer.finish(board);
await runware.disconnect();
await simulator?.close();

const rows = [...board.values()];
console.log(`\nWrote ${rows.reduce((sum, row) => sum + row.files.length, 0)} files to ${relative(process.cwd(), outDir) || '.'}:`);
for (const file of rows.flatMap((row) => row.files)) {
  const { size } = await stat(file);
  console.log(`  ${relative(process.cwd(), file)}  (${(size / 1024).toFixed(1)} KiB)`);
}
const failed = rows.filter((row) => row.state.startsWith('failed'));
if (failed.length > 0) {
  console.error(`\n${failed.length} job(s) failed.`);
  process.exitCode = 1;
}
