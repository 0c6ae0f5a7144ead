/*
 * `npm run example -- <name> [arguments]`: runs one example of catalog.ts, as if it were run
 * directly with `npx tsx --tsconfig tsconfig.node.json <file> [arguments]`.
 */
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startSimulator } from 'runware-rx/simulator';
import { examples } from './catalog.js';
import { describeTarget, targetFromEnv } from './support/target.js';

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

// An example that does not embed a simulator (the quick start, the code a user copies) gets
// where the others go by the same rule (support/target.ts), through the environment it reads.
const target = example.embedsSimulator ? undefined : targetFromEnv();
const simulator = target?.kind === 'embedded' ? await startSimulator() : undefined;
if (simulator !== undefined) {
  process.env['RUNWARE_URL'] = simulator.url;
  process.env['RUNWARE_API_KEY'] = 'example-key';
  // The words of the examples that embed one, on stderr: the example's stdout is its own.
  console.error(describeTarget(target!, simulator.url));
}
// A simulator on this machine takes any key, so none has to be given for it.
if (target?.kind === 'local') process.env['RUNWARE_API_KEY'] = target.apiKey;
try {
  await import(pathToFileURL(file).href);
} finally {
  await simulator?.close();
}
