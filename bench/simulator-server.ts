/**
 * The simulator as the benchmarks run it: the `runware-simulator` command line with `--fast
 * --port 0` forced (no media, an ephemeral loopback port), in a process of its own. It is the CLI's
 * behaviour plus one thing the CLI cannot do: it exits as soon as its standard input closes, so
 * even a SIGKILLed orchestrator leaves no server behind. Prints the WebSocket URL alone on stdout.
 *
 *   node --import tsx bench/simulator-server.ts [any runware-simulator flag, e.g. --profile realistic]
 */
import { startSimulator } from 'runware-rx/simulator';
import { parseCliArgs } from '../src/simulator/cli-args.js';

// The simulator of the working tree, never a stale dist/ build (the package name resolves to both).
const resolved = import.meta.resolve('runware-rx/simulator');
if (!resolved.endsWith('/src/simulator/index.ts')) throw new Error(`runware-rx/simulator resolves to ${resolved}; set TSX_TSCONFIG_PATH`);

// The CLI's own parser, so every flag means here what it means there.
const command = parseCliArgs([...process.argv.slice(2), '--fast', '--port', '0']);
if (command.kind !== 'start') throw new Error('simulator-server takes the simulator flags only');
const simulator = await startSimulator(command.options);
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
