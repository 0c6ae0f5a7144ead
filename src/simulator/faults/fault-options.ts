import type { FaultOptions } from './types.js';

/** Chaos options with every default applied. */
export type ResolvedFaultOptions = Readonly<Required<FaultOptions>>;

/** The probability fields of {@link FaultOptions}, in a fixed order (also the PRNG stream order). */
export const RATE_KEYS = [
  'dropRate',
  'freezeRate',
  'authDelayRate',
  'garbageRate',
  'unroutableRate',
  'duplicateRate',
  'ackDropRate',
  'ackDelayRate',
  'rateLimitRate',
  'serverErrorRate',
  'itemFailureRate',
] as const satisfies readonly (keyof FaultOptions)[];

export type RateKey = (typeof RATE_KEYS)[number];

/** No chaos: every rate 0. */
export const NO_FAULTS: ResolvedFaultOptions = {
  seed: 1,
  authDelayMs: 1000,
  ackDelayMs: 1000,
  // Spelled out (the type checks that none is missing) so that importing computes nothing.
  dropRate: 0,
  freezeRate: 0,
  authDelayRate: 0,
  garbageRate: 0,
  unroutableRate: 0,
  duplicateRate: 0,
  ackDropRate: 0,
  ackDelayRate: 0,
  rateLimitRate: 0,
  serverErrorRate: 0,
  itemFailureRate: 0,
};

const fail = (name: string, rule: string, value: unknown): never => {
  throw new RangeError(`faults: ${name} must be ${rule}, got ${String(value)}`);
};

/**
 * Checks a (partial) set of chaos options and merges it over `base`. Pure; throws a RangeError
 * naming the first bad field, so a typo'd rate never silently disables a fault.
 */
export const mergeFaultOptions = (base: ResolvedFaultOptions, options: FaultOptions): ResolvedFaultOptions => {
  const known = new Set<string>(Object.keys(NO_FAULTS));
  for (const key of Object.keys(options)) if (!known.has(key)) fail(key, 'a known fault option', 'an unknown option');
  const { seed, authDelayMs, ackDelayMs } = options;
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed <= 0xffff_ffff)) fail('seed', 'an integer 0 to 4294967295', seed);
  for (const [name, value] of [['authDelayMs', authDelayMs], ['ackDelayMs', ackDelayMs]] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) fail(name, 'a finite number >= 0', value);
  }
  for (const key of RATE_KEYS) {
    const value = options[key];
    if (value !== undefined && !(value >= 0 && value <= 1)) fail(key, 'a probability between 0 and 1', value);
  }
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return { ...base, ...defined };
};

/** True when any chaos rate is above 0. */
export const chaosEnabled = (options: ResolvedFaultOptions): boolean => RATE_KEYS.some((key) => options[key] > 0);
