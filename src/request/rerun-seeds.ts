import type { DataItem } from '../protocol/frames.js';
import type { TaskPlan } from './task-plan.js';

/*
 * A task of several results with a seed makes them from that seed up, one each (protocol
 * §4.2.1). A re-run that asks for the missing results must start from a missing seed, or it makes
 * a delivered generation again.
 */

/** The largest seed the API takes, 2^63 − 1. */
const MAX_SEED = 9223372036854775807n;

/**
 * A seed as an exact integer: a number within the safe range, or a BigInt.
 *
 * @param value A seed as given or as a result says it.
 * @returns It as a BigInt, or `undefined` when it is none.
 */
export function seedOf(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  return typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : undefined;
}

/**
 * Where a request keeps the seeds of its results: a task of several with a seed, which may be
 * re-run (`retryFailed`); every other keeps none.
 *
 * @param plan The request.
 * @returns An empty set, or `undefined`.
 */
export function seedsKeptFor(plan: TaskPlan): Set<bigint> | undefined {
  return plan.retryFailed && plan.count !== undefined && plan.expected > 1 && seedOf(plan.task['seed']) !== undefined ? new Set() : undefined;
}

/**
 * Notes the seed of a delivered result.
 *
 * @param seeds The seeds delivered so far.
 * @param item The result.
 */
export function noteSeed(seeds: Set<bigint>, item: DataItem): void {
  const seed = seedOf(item['seed']);
  if (seed !== undefined) seeds.add(seed);
}

/**
 * The seed a re-run goes with: the first missing one when the missing seeds follow each other,
 * `undefined` (no seed: the server draws one) when they are apart, since no one seed makes them
 * without a delivered one, or when a delivered result did not say its seed.
 *
 * @param first The request's seed.
 * @param expected How many results the request asked for.
 * @param delivered The seeds of the results delivered.
 * @param count How many results were delivered.
 * @param like The seed as the caller gave it, whose type (number or BigInt) the new one keeps.
 * @returns The re-run's seed.
 */
export function rerunSeed(first: bigint, expected: number, delivered: ReadonlySet<bigint>, count: number, like: unknown): number | bigint | undefined {
  if (delivered.size < count) return undefined;
  const missing: bigint[] = [];
  for (let offset = 0n; offset < BigInt(expected); offset += 1n) if (!delivered.has(first + offset)) missing.push(first + offset);
  const start = missing[0];
  if (start === undefined) return undefined;
  if (missing.some((seed, index) => seed !== start + BigInt(index))) return undefined;
  // The range the caller gave may run past the largest seed the API takes (a server wraps it).
  if (start + BigInt(missing.length - 1) > MAX_SEED) return undefined;
  return typeof like === 'bigint' || start > BigInt(Number.MAX_SAFE_INTEGER) ? start : Number(start);
}
