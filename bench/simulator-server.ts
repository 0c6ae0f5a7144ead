/**
 * The simulator as the benchmarks run it: the `runware-simulator` command line with `--fast
 * --port 0` forced (no media, an ephemeral loopback port), in a process of its own. It is the CLI's
 * behaviour plus one thing the CLI cannot do: it exits as soon as its standard input closes, so
 * even a SIGKILLed orchestrator leaves no server behind. Prints the WebSocket URL alone on stdout.
 *
 *   node --import tsx bench/simulator-server.ts [any runware-simulator flag, e.g. --profile realistic]
 *     [--bench-model-readiness '{"models":{"klingai:5@3":2000},"spread":0.1,"seed":1}']
 */
import type { ModelReadinessOptions } from 'runware-rx/simulator';
import { startSimulator } from 'runware-rx/simulator';
import { MODEL_READINESS_FLAG } from './lib/simulator.js';
import { parseCliArgs } from '../src/simulator/cli-args.js';

// The simulator of the working tree, never a stale dist/ build (the package name resolves to both).
const resolved = import.meta.resolve('runware-rx/simulator');
if (!resolved.endsWith('/src/simulator/index.ts')) throw new Error(`runware-rx/simulator resolves to ${resolved}; set TSX_TSCONFIG_PATH`);

// One option has no CLI flag: per-model readiness, given as JSON after a bench-only flag.
const args = process.argv.slice(2);
const readinessAt = args.indexOf(MODEL_READINESS_FLAG);
const modelReadiness = readinessAt === -1 ? undefined : (JSON.parse(args.splice(readinessAt, 2)[1]!) as ModelReadinessOptions);
// The CLI's own parser, so every flag means here what it means there.
const command = parseCliArgs([...args, '--fast', '--port', '0']);
if (command.kind !== 'start') throw new Error('simulator-server takes the simulator flags only');
const simulator = await startSimulator(modelReadiness === undefined ? command.options : { ...command.options, modelReadiness });
process.stdout.write(`${simulator.url}\n`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  // Bounded: a close that hangs must not keep the process alive.
  setTimeout(() => process.exit(1), 2000).unref();
  simulator.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
