/**
 * Runs a bench entry the way the benchmark runs its clients: bundled to plain JavaScript with
 * `runware-rx` resolving to dist/ (see lib/bundle.ts). Used for profiling:
 * `npm run bench:profile -- heap rx-promise 2000`.
 */
import { spawn } from 'node:child_process';
import { bundleEntry } from './lib/bundle.js';

const [entry = '', ...args] = process.argv.slice(2);
const file = await bundleEntry(entry);
const child = spawn(process.execPath, ['--expose-gc', file, ...args], { stdio: 'inherit' });
child.once('exit', (code) => process.exit(code ?? 1));
