import type { RunwareError } from 'runware-rx';
import { isRunwareError } from 'runware-rx';

/**
 * The typed error a promise rejects with; a promise that resolves, or rejects with anything
 * else, fails the test.
 *
 * @param promise A request expected to fail.
 * @returns Its error.
 */
export async function rejection(promise: Promise<unknown>): Promise<RunwareError> {
  const reason: unknown = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!isRunwareError(reason)) throw new Error(`expected a typed error, got ${String(reason)}`);
  return reason;
}
