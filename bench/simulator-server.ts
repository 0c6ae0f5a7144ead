/**
 * The simulator as the benchmarks run it: `startSimulator({ media: false })` (the CLI's
 * `--fast`) on an ephemeral loopback port, in a process of its own. It is the CLI's behaviour
 * plus one thing the CLI cannot do: it exits as soon as its standard input closes, so even a
 * SIGKILLed orchestrator leaves no server behind. Prints the WebSocket URL alone on stdout.
 *
 *   node --import tsx bench/simulator-server.ts [--video-seconds S] [--image-latency MS] [--api-key KEY]
 */
import { parseArgs } from 'node:util';
import { startSimulator } from 'runware-rx/simulator';

// The simulator of the working tree, never a stale dist/ build (the package name resolves to both).
const resolved = import.meta.resolve('runware-rx/simulator');
if (!resolved.endsWith('/src/simulator/index.ts')) throw new Error(`runware-rx/simulator resolves to ${resolved}; set TSX_TSCONFIG_PATH`);

const { values } = parseArgs({
  options: {
    'video-seconds': { type: 'string' },
    'image-latency': { type: 'string' },
    'api-key': { type: 'string' },
  },
  strict: true,
});

const number = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`--${name} must be a number >= 0, got "${text}"`);
  return value;
};
const videoSeconds = number('video-seconds', values['video-seconds']);
const imageLatency = number('image-latency', values['image-latency']);

const simulator = await startSimulator({
  media: false,
  port: 0,
  ...(values['api-key'] === undefined ? {} : { apiKey: values['api-key'] }),
  ...(videoSeconds === undefined ? {} : { videoReadyAfterMs: Math.round(videoSeconds * 1000) }),
  ...(imageLatency === undefined ? {} : { imageLatencyMs: imageLatency }),
});
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
