/*
 * `npm run example -- <name> [arguments]`: runs one example of catalog.ts, as if it were run
 * directly with `npx tsx --tsconfig tsconfig.node.json <file> [arguments]`.
 */
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startSimulator } from 'runware-rx/simulator';
import { examples } from './catalog.js';

const [name, ...rest] = process.argv.slice(2);
const example = examples.find((candidate) => candidate.name === name);
if (example === undefined) {
  console.error(name === undefined ? 'Which example? npm run example -- <name>' : `There is no example "${name}".`);
  console.error(`Examples: ${examples.map((candidate) => candidate.name).join(', ')}`);
  process.exit(2);
}

const file = resolve(fileURLToPath(new URL('../', import.meta.url)), example.file);
// The example sees its own file and its arguments, and paths relative to where npm was run.
process.argv = [process.argv[0]!, file, ...rest];
if (process.env['INIT_CWD'] !== undefined) process.chdir(process.env['INIT_CWD']);

const needsSimulator = !example.embedsSimulator && process.env['RUNWARE_API_KEY'] === undefined && process.env['RUNWARE_URL'] === undefined;
const simulator = needsSimulator ? await startSimulator() : undefined;
if (simulator !== undefined) {
  process.env['RUNWARE_URL'] = simulator.url;
  process.env['RUNWARE_API_KEY'] = 'example-key';
  console.error(`(npm run example: a simulator at ${simulator.url} stands in for the Runware API)`);
}
try {
  await import(pathToFileURL(file).href);
} finally {
  await simulator?.close();
}
