/*
 * The checks `resolveOptions` makes of single option values, each throwing a RangeError that
 * names the option and what it takes.
 */

/** A spread above this (a factor of e^8 at 4 σ) is surely a typo for something else. */
const MAX_SPREAD = 2;

/** A finite number of at least 0. */
export const nonNegative = (name: string, value: number): number => {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`startSimulator: ${name} must be a finite number >= 0, got ${value}`);
  }
  return value;
};

/** The σ of a log-normal, 0 to {@link MAX_SPREAD}. */
export const spread = (name: string, value: number): number => {
  if (!(Number.isFinite(value) && value >= 0 && value <= MAX_SPREAD)) {
    throw new RangeError(`startSimulator: ${name} must be a number from 0 to ${MAX_SPREAD} (the σ of a log-normal), got ${value}`);
  }
  return value;
};

/** One of `allowed`. */
export const choice = <T extends string>(name: string, value: T, allowed: readonly T[]): T => {
  if (!allowed.includes(value)) throw new RangeError(`startSimulator: ${name} must be one of ${allowed.join(', ')}, got ${String(value)}`);
  return value;
};
