import type { Seed, TaskObject } from '../types.js';
import { invalidParam } from './params.js';

/** The largest seed the API takes (protocol §4.2: 2^63 − 1), past what a number holds exactly. */
export const MAX_SEED = 9_223_372_036_854_775_807n;

/** A random seed as the API picks one when none is given: a positive 31-bit integer. */
export const randomSeed = (): number => 1 + Math.floor(Math.random() * 2_147_483_646);

/**
 * `seed`: an integer from 1 to {@link MAX_SEED}, or undefined for a random one. One past
 * 2^53 − 1 arrives as a BigInt of the digits the client wrote (exact-json.ts) and is kept so: the
 * results echo it.
 *
 * @throws ParamError `invalidSeed` when it is present and not such an integer.
 */
export const readSeed = (task: TaskObject): Seed | undefined => {
  const value = task['seed'];
  if (value === undefined || value === null) return undefined;
  const integer = typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
  if (!integer || value < 1 || BigInt(value) > MAX_SEED) throw invalidParam('seed', 'integer', `an integer between 1 and ${MAX_SEED}`, value);
  return value;
};

/**
 * The seed of a task's result `index` (from 0): the first one plus the index, as the API counts
 * them (protocol §1.4, §4.2.1), exactly, even where the count crosses 2^53 − 1.
 */
export const seedAt = (first: Seed, index: number): Seed => {
  if (typeof first === 'bigint') return first + BigInt(index);
  const next = first + index;
  return Number.isSafeInteger(next) ? next : BigInt(first) + BigInt(index);
};

/**
 * A seed as a number, for drawing (a picture, a sound, a file's serial number): a BigInt one folded
 * into the range where numbers are exact, so that neighbouring large seeds still draw differently.
 */
export const drawingSeed = (seed: Seed): number => (typeof seed === 'bigint' ? Number(BigInt.asUintN(52, seed)) : seed);
