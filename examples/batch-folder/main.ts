/*
 * A folder of photos through background removal: every *.jpg, 10 at a time, with a progress
 * bar and a report per file; each cut-out is written beside its photo (photo.jpg → photo.nobg.png).
 *
 *   npm run example -- batch-folder <folder>
 *
 * Runs against an embedded simulator unless RUNWARE_API_KEY (or RUNWARE_URL) is set. The bar
 * goes to stderr: redrawn in place on a terminal, a plain line every 2 s elsewhere (a CI log).
 * The report goes to stdout; the exit code is 1 when any file failed.
 */
import { basename, join } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { catchError, defer, finalize, from, lastValueFrom, map, mergeMap, of, tap, toArray } from 'rxjs';
import { createRunware, isRunwareError } from 'runware-rx';
import { photoFolder } from '../support/photo-folder.js';
import { startTarget } from '../support/target.js';
import { cutOut$ } from './cut-out.js';

/** How many photos are in flight at once. */
const CONCURRENCY = 10;

type Outcome = { readonly file: string; readonly output: string } | { readonly file: string; readonly error: string };

const { folder, files } = await photoFolder(process.argv[2], 'npm run example -- batch-folder <folder>');
const { apiKey, url, line, stop } = await startTarget();
console.log(line);
console.log(`${files.length} photo${files.length === 1 ? '' : 's'} in ${folder}`);
const runware = createRunware({ apiKey, url });

const bar = new SingleBar(
  { format: 'removing backgrounds [{bar}] {value}/{total} {file}', noTTYOutput: true, notTTYSchedule: 2000, hideCursor: true },
  Presets.shades_classic,
);
bar.start(files.length, 0, { file: '' });
let inFlight = 0;
let peak = 0;

/** One file's outcome: its output, or why it failed (a failure does not stop the others). */
const process$ = (file: string) =>
  defer(() => {
    peak = Math.max(peak, ++inFlight);
    return cutOut$(runware, join(folder, file));
  }).pipe(
    map((output): Outcome => ({ file, output })),
    catchError((error: unknown) => of<Outcome>({ file, error: isRunwareError(error) ? `${error.code}: ${error.message}` : String(error) })),
    finalize(() => inFlight--),
  );

try {
  const outcomes = await lastValueFrom(
    from(files).pipe(
      // The bound is the operator's: at most CONCURRENCY files are subscribed (in flight) at once.
      mergeMap(process$, CONCURRENCY),
      tap((outcome) => bar.increment({ file: outcome.file })),
      toArray(),
    ),
  );
  bar.stop();
  for (const outcome of outcomes.sort((a, b) => a.file.localeCompare(b.file))) {
    if ('output' in outcome) console.log(`ok ${outcome.file} → ${basename(outcome.output)}`);
    else console.log(`failed ${outcome.file}: ${outcome.error}`);
  }
  const failed = outcomes.filter((outcome) => 'error' in outcome).length;
  console.log(`${outcomes.length - failed} of ${outcomes.length} done, ${failed} failed (at most ${peak} at once)`);
  if (failed > 0) process.exitCode = 1;
} finally {
  bar.stop();
  await runware.disconnect();
  await stop();
}
