import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** A private Redis server, on a unix socket in a folder of its own. */
export interface LocalRedis {
  /** The socket's path, for `{ connection: { path } }`. */
  readonly socket: string;
  /** Stops the server and removes its folder; safe to call twice. */
  stop(): Promise<void>;
}

/** How long Redis may take to say it is ready. */
const READY_WITHIN_MS = 15_000;

/**
 * Starts Debian's `redis-server` on a unix socket in a temporary folder, with no TCP port and
 * nothing saved to disk: a queue for one run, clashing with nothing else on the machine.
 *
 * @returns The socket, once the server accepts connections.
 * @throws {Error} When `redis-server` is not installed, or does not start in time.
 */
export async function startLocalRedis(): Promise<LocalRedis> {
  const folder = await mkdtemp(join(tmpdir(), 'runware-redis-'));
  const socket = join(folder, 'redis.sock');
  const child = spawn('redis-server', ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--save', '', '--appendonly', 'no', '--dir', folder], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) child.kill('SIGTERM');
      await exited;
      await rm(folder, { recursive: true, force: true });
    })());

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start within ${READY_WITHIN_MS} ms:\n${output}`)), READY_WITHIN_MS);
      const done = (error?: Error) => {
        clearTimeout(timer);
        if (error === undefined) resolve();
        else reject(error);
      };
      child.once('error', (error: NodeJS.ErrnoException) =>
        done(error.code === 'ENOENT' ? new Error('redis-server is not installed (on Debian: apt-get install -y redis-server), or set REDIS_URL') : error),
      );
      child.once('exit', (code) => done(new Error(`redis-server exited with ${code}:\n${output}`)));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      createInterface({ input: child.stdout }).on('line', (line) => {
        output += `${line}\n`;
        // Redis 7.0 says "The server is now ready to accept connections", later versions "Ready to accept connections".
        if (/ready to accept connections/i.test(line)) done();
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { socket, stop };
}
