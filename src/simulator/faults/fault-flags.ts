import type { FaultOptions } from './types.js';

/** How a flag's value is read. */
type FlagKind = 'seed' | 'rate' | 'ms';

interface FaultFlag {
  readonly flag: string;
  readonly key: keyof FaultOptions;
  readonly kind: FlagKind;
  readonly help: string;
}

/** The `runware-simulator` flags of the chaos options, one per {@link FaultOptions} field. */
export const FAULT_FLAGS: readonly FaultFlag[] = [
  { flag: 'chaos-seed', key: 'seed', kind: 'seed', help: 'seed of the fault PRNG, reproducible runs (default 1)' },
  { flag: 'drop-rate', key: 'dropRate', kind: 'rate', help: 'per inbound frame or REST request: drop the socket (1006/1011/1001/1000) or cut the request' },
  { flag: 'freeze-rate', key: 'freezeRate', kind: 'rate', help: 'per inbound frame or REST request: freeze it (half-open, no answer)' },
  { flag: 'auth-delay-rate', key: 'authDelayRate', kind: 'rate', help: 'per authentication: answer it late' },
  { flag: 'auth-delay', key: 'authDelayMs', kind: 'ms', help: 'how late, in ms (default 1000)' },
  { flag: 'garbage-rate', key: 'garbageRate', kind: 'rate', help: 'per outbound frame or REST answer: send non-JSON text first (REST: instead)' },
  { flag: 'unroutable-rate', key: 'unroutableRate', kind: 'rate', help: 'per outbound frame or REST answer: send an error without taskUUID first (REST: instead)' },
  { flag: 'duplicate-rate', key: 'duplicateRate', kind: 'rate', help: 'per outbound task frame (sockets only): send it twice' },
  { flag: 'ack-drop-rate', key: 'ackDropRate', kind: 'rate', help: 'per async ack: never send it' },
  { flag: 'ack-delay-rate', key: 'ackDelayRate', kind: 'rate', help: 'per async ack: send it late' },
  { flag: 'ack-delay', key: 'ackDelayMs', kind: 'ms', help: 'how late, in ms (default 1000)' },
  { flag: 'rate-limit-rate', key: 'rateLimitRate', kind: 'rate', help: 'per task: reject with a rate-limit error' },
  { flag: 'server-error-rate', key: 'serverErrorRate', kind: 'rate', help: 'per task: reject with internalServerError' },
  { flag: 'item-failure-rate', key: 'itemFailureRate', kind: 'rate', help: 'per generation: fail with timeoutProvider' },
];

const ARGUMENT: Readonly<Record<FlagKind, string>> = { seed: 'N', rate: 'P', ms: 'MS' };

/** The fault section of `--help`, aligned like the rest. */
export const FAULT_USAGE = FAULT_FLAGS.map(({ flag, kind, help }) => `  ${`--${flag} ${ARGUMENT[kind]}`.padEnd(24)}${help}\n`).join('');

/** parseArgs option declarations for every fault flag. */
export const FAULT_FLAG_OPTIONS = Object.fromEntries(FAULT_FLAGS.map(({ flag }) => [flag, { type: 'string' as const }]));

const RULES: Readonly<Record<FlagKind, { readonly check: (value: number) => boolean; readonly rule: string }>> = {
  seed: { check: (v) => Number.isInteger(v) && v >= 0 && v <= 0xffff_ffff, rule: 'an integer 0-4294967295' },
  rate: { check: (v) => v >= 0 && v <= 1, rule: 'a probability between 0 and 1' },
  ms: { check: (v) => Number.isFinite(v) && v >= 0, rule: 'a number of ms >= 0' },
};

/**
 * Reads the fault flags out of parsed command-line values. Pure; throws a RangeError naming the
 * flag on bad input. Returns undefined when no fault flag was given, so the simulator runs clean.
 */
export const parseFaultFlags = (values: Readonly<Record<string, unknown>>): FaultOptions | undefined => {
  const options: FaultOptions = {};
  let any = false;
  for (const { flag, key, kind } of FAULT_FLAGS) {
    const text = values[flag];
    if (typeof text !== 'string') continue;
    const value = Number(text);
    const { check, rule } = RULES[kind];
    if (text.trim() === '' || !check(value)) throw new RangeError(`--${flag} must be ${rule}, got "${text}"`);
    options[key] = value;
    any = true;
  }
  return any ? options : undefined;
};
