/*
 * The producer of the queue example: puts a job on the queue for every *.jpg of a folder,
 * waits for the workers (examples/queue/worker.ts, anywhere) to finish them, and reports.
 *
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx --tsconfig tsconfig.node.json examples/queue/enqueue.ts <folder>
 *
 * The exit code is 1 when any photo failed. `npm run example -- queue <folder>` runs the whole
 * thing on one machine instead: Redis, a simulator, the workers and this.
 */
import { photoFolder } from '../support/photo-folder.js';
import { queueNameOf, redisOf } from './settings.js';
import { reportLines, runFolder } from './run-folder.js';

const photos = await photoFolder(process.argv[2], 'REDIS_URL=redis://127.0.0.1:6379 npx tsx --tsconfig tsconfig.node.json examples/queue/enqueue.ts <folder>');
const outcomes = await runFolder(redisOf(process.env), queueNameOf(process.env), photos, (line) => console.log(line));
for (const line of reportLines(outcomes)) console.log(line);
if (outcomes.some((outcome) => 'error' in outcome)) process.exitCode = 1;
