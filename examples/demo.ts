/*
 * The runware-rx demo: several images and a video generated at once over one connection, with
 * live progress, saved to ./out. Runs against the embedded simulator unless RUNWARE_API_KEY or
 * RUNWARE_URL is set: a URL on this machine is taken for a simulator, anything else for the
 * Runware API (which spends credits).
 */
import { stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { Observable } from 'rxjs';
import { catchError, concat, defer, lastValueFrom, map, merge, mergeMap, of, scan, tap } from 'rxjs';
import type { TaskEvent } from 'runware-rx';
import { createRunware, raw } from 'runware-rx';
import type { BoardUpdate, Row, SavedFile } from './demo/board.js';
import { applyUpdate, renderBoard } from './demo/board.js';
import { noted, sizeNote } from './demo/describe-media.js';
import type { Job } from './demo/jobs.js';
import { jobs } from './demo/jobs.js';
import { createRenderer } from './demo/renderer.js';
import type { MediaSource } from './demo/save-media.js';
import { saveMedia } from './demo/save-media.js';
import { startTarget } from './support/target.js';

const outDir = resolve(process.env['DEMO_OUT'] ?? 'out');
const { simulator, apiKey, url, line, stop } = await startTarget({ videoReadyAfterMs: 4000 });
const runware = createRunware({ apiKey, url });
console.log(line);

/** Says so when the embedded simulator could only make placeholders of this kind of media, and when the file is not of the size asked for. */
function labelled(file: SavedFile, job: Job): SavedFile {
  const served = job.kind === 'image' ? simulator?.media.images : simulator?.media.videos;
  return { ...file, label: noted(file.label, [served === 'placeholder' ? 'placeholder' : undefined, sizeNote(file.size, job.params)]) };
}

/** One job as a stream of board updates: its request events, then each saved file. */
function run(job: Job): Observable<BoardUpdate> {
  const { name } = job;
  const events$: Observable<TaskEvent> = job.kind === 'image' ? runware.image$(job.params) : runware.video$(job.params);
  return events$.pipe(
    mergeMap((event) => {
      const update = of<BoardUpdate>({ name, type: 'event', event, at: Date.now() });
      if (event.type !== 'result') return update;
      const save$ = defer(() => saveMedia(outDir, `${name}-${event.index + 1}`, sourceOf(event.item))).pipe(
        map((file): BoardUpdate => ({ name, type: 'saved', file: labelled(file, job), at: Date.now() })),
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
// Every job's starting state first, before anything has happened to any.
renderer.update(initial);
const board = await lastValueFrom(
  merge(...jobs.map(run)).pipe(
    scan(applyUpdate, initial),
    tap((current) => renderer.update(current)),
  ),
  { defaultValue: initial },
);
renderer.finish(board);
await runware.disconnect();
await stop();

const rows = [...board.values()];
const files = rows.flatMap((row) => row.files);
if (files.length === 0) {
  console.log('\nNo files were written.');
} else {
  console.log(`\nWrote ${files.length} file${files.length === 1 ? '' : 's'} to ${relative(process.cwd(), outDir) || '.'}:`);
  for (const { path, label } of files) {
    const { size } = await stat(path);
    console.log(`  ${relative(process.cwd(), path)}  ${label}  (${(size / 1024).toFixed(1)} KiB)`);
  }
}
const failed = rows.filter((row) => row.state.startsWith('failed'));
if (failed.length > 0) {
  console.error(`\n${failed.length} of ${rows.length} jobs failed:`);
  for (const row of failed) console.error(`  ${row.name}: ${row.state.slice('failed: '.length)}`);
  process.exitCode = 1;
}
