import { expect } from 'vitest';
import { TestScheduler } from 'rxjs/testing';

/**
 * Creates a fresh TestScheduler whose frames are compared with vitest's `toEqual`, so
 * asymmetric matchers (such as {@link errorMatching}) work inside marble values and errors.
 * Create one per test and do everything inside `scheduler.run(...)`.
 *
 * @returns The scheduler.
 */
export function createScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
}

/** An asymmetric matcher standing in for an error in expected values. */
export interface ErrorMatcher {
  asymmetricMatch(actual: unknown): boolean;
  toString(): string;
  toAsymmetricMatcher(): string;
}

/**
 * Matches an error by class and by the fields that matter (`code`, `phase`, `serverCode`, ...),
 * ignoring its stack. Use it as the error argument of `toBe(marbles, values, error)`, inside a
 * values map, or with `expect(error).toEqual(...)`.
 *
 * @param type The class the error must be an instance of.
 * @param fields The fields it must have, compared with `toEqual` semantics.
 * @returns The matcher.
 */
export function errorMatching(type: abstract new (...args: never[]) => Error, fields: Record<string, unknown> = {}): ErrorMatcher {
  const contains = expect.objectContaining(fields) as unknown as { asymmetricMatch(actual: unknown): boolean };
  const describe = (): string => `${type.name} with ${JSON.stringify(fields)}`;
  return {
    asymmetricMatch: (actual) => actual instanceof type && contains.asymmetricMatch(actual),
    toString: describe,
    toAsymmetricMatcher: describe,
  };
}

/** A send function that records what was written and at which virtual frame. */
export interface RecordingSend {
  (text: string): boolean;
  /** Every write as `[frame, text]`. */
  readonly writes: (readonly [number, string])[];
}

/**
 * Creates a socket `send` that records each write with the scheduler's current virtual time.
 *
 * @param scheduler The scheduler whose clock stamps the writes.
 * @returns The recording send function; it always reports success.
 */
export function recordingSend(scheduler: TestScheduler): RecordingSend {
  const writes: (readonly [number, string])[] = [];
  const send = (text: string): boolean => {
    writes.push([scheduler.now(), text]);
    return true;
  };
  return Object.assign(send, { writes });
}
