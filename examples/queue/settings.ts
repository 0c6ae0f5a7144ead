import type { ConnectionOptions } from 'bullmq';

/** One photo to cut out: its path, and the taskUUID chosen for it once a worker takes it. */
export interface CutOutJob {
  readonly input: string;
  /** Recorded in the job before the task is sent, so that whoever runs the job next re-sends it. */
  readonly taskUUID?: string;
}

/** What a finished job returns. */
export interface CutOutDone {
  readonly output: string;
  readonly taskUUID: string;
}

/** The queue's name: QUEUE_NAME, else `runware-cut-out`. */
export const queueNameOf = (env: NodeJS.ProcessEnv): string => env['QUEUE_NAME'] ?? 'runware-cut-out';

/**
 * Where Redis is: REDIS_SOCKET (a unix socket's path) or REDIS_URL (`redis://host:port`).
 *
 * @param env The environment.
 * @returns BullMQ's connection options.
 * @throws {Error} When neither is set.
 */
export function redisOf(env: NodeJS.ProcessEnv): ConnectionOptions {
  const socket = env['REDIS_SOCKET'];
  if (socket !== undefined) return { path: socket };
  const url = env['REDIS_URL'];
  if (url !== undefined) return { url };
  throw new Error('Set REDIS_URL (redis://host:port) or REDIS_SOCKET (a unix socket path).');
}

/** A whole number above 0 from the environment (a count, milliseconds), or the default. */
export function positiveIntegerOf(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`${name} must be a whole number above 0 (got ${value})`);
  return parsed;
}
