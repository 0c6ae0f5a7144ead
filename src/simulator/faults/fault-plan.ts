import type { RejectionCode } from './fault-items.js';
import { mergeFaultOptions, NO_FAULTS, RATE_KEYS, type RateKey } from './fault-options.js';
import { mulberry32, streamSeed, type Random } from './prng.js';
import type { DropCloseCode, FaultOptions } from './types.js';

/** The close code a client sees after a drop: 1006 when no close frame was sent. */
export type DropCode = 1006 | DropCloseCode;

/** A chaos drop: how the socket goes, and whether the frame that triggered it was read first. */
export interface DropDecision {
  readonly closeCode: DropCode;
  readonly afterReading: boolean;
}

/** What happens to one async acknowledgement. */
export type AckFate = { readonly drop: true } | { readonly drop: false; readonly delayMs: number };

/** Which hooks the plan needs installed right now (none when no fault is armed or configured). */
export interface PlanNeeds {
  readonly inbound: boolean;
  readonly outbound: boolean;
  readonly admit: boolean;
  readonly acknowledge: boolean;
  readonly generation: boolean;
}

/**
 * What to inject, and when: one-shot faults armed by tests (queues of countdowns, consumed in the
 * order they were armed) take precedence; otherwise each decision rolls its chaos rate. Each
 * decision point draws only when its rate is above 0, from its own seeded stream.
 */
export interface FaultPlan {
  configure(options: FaultOptions): void;
  reset(): void;
  armAuthDelay(ms: number, count: number): void;
  armAck(fate: AckFate, count: number): void;
  armDuplicate(count: number): void;
  armRejection(code: RejectionCode, count: number): void;
  armItemFailure(code: string, count: number): void;
  /** Per inbound frame. */
  drop(): DropDecision | undefined;
  freeze(): boolean;
  /** Whether `authDelay()` could answer anything: parsing inbound frames is only worth it then. */
  authDelayPossible(): boolean;
  /** Per authentication frame: the delay to apply, if any. */
  authDelay(): number | undefined;
  /** Per outbound frame. */
  garbage(): boolean;
  unroutable(): boolean;
  /** Per outbound task frame. */
  duplicate(): boolean;
  /** Per async acknowledgement. */
  ack(): AckFate | undefined;
  /** Per submitted task: the code to reject it with, if any. */
  admit(): RejectionCode | undefined;
  /** Per generation: the code to fail it with, if any. */
  itemFailure(): string | undefined;
  needs(): PlanNeeds;
}

interface Countdown<T> {
  remaining: number;
  readonly value: T;
}

const DROP_CODES: readonly DropCode[] = [1006, 1011, 1001, 1000];

/** Creates a plan; `onDisarmed` runs when a one-shot queue runs empty (so hooks can be removed). */
export const createFaultPlan = (onDisarmed: () => void): FaultPlan => {
  let options = NO_FAULTS;
  let streams = {} as Record<RateKey, Random>;
  const reseed = () => {
    streams = Object.fromEntries(RATE_KEYS.map((key, index) => [key, mulberry32(streamSeed(options.seed, index))])) as Record<RateKey, Random>;
  };
  reseed();
  const roll = (key: RateKey): boolean => options[key] > 0 && streams[key]() < options[key];

  const authDelays: Countdown<number>[] = [];
  const acks: Countdown<AckFate>[] = [];
  const duplicates: Countdown<true>[] = [];
  const rejections: Countdown<RejectionCode>[] = [];
  const itemFailures: Countdown<string>[] = [];
  const queues = [authDelays, acks, duplicates, rejections, itemFailures];

  const arm = <T>(queue: Countdown<T>[], value: T, count: number) => {
    if (count > 0) queue.push({ remaining: count, value });
  };
  const take = <T>(queue: Countdown<T>[]): T | undefined => {
    const head = queue[0];
    if (head === undefined) return undefined;
    if (--head.remaining === 0) {
      queue.shift();
      if (queue.length === 0) onDisarmed();
    }
    return head.value;
  };

  return {
    configure(next) {
      options = mergeFaultOptions(options, next);
      if (next.seed !== undefined) reseed();
    },
    reset() {
      options = NO_FAULTS;
      reseed();
      for (const queue of queues) queue.length = 0;
    },
    armAuthDelay: (ms, count) => arm(authDelays, ms, count),
    armAck: (fate, count) => arm(acks, fate, count),
    armDuplicate: (count) => arm(duplicates, true, count),
    armRejection: (code, count) => arm(rejections, code, count),
    armItemFailure: (code, count) => arm(itemFailures, code, count),
    drop() {
      if (!roll('dropRate')) return undefined;
      const stream = streams.dropRate;
      return { closeCode: DROP_CODES[Math.floor(stream() * DROP_CODES.length)]!, afterReading: stream() < 0.5 };
    },
    freeze: () => roll('freezeRate'),
    authDelayPossible: () => authDelays.length > 0 || options.authDelayRate > 0,
    authDelay: () => take(authDelays) ?? (roll('authDelayRate') ? options.authDelayMs : undefined),
    garbage: () => roll('garbageRate'),
    unroutable: () => roll('unroutableRate'),
    duplicate: () => take(duplicates) ?? roll('duplicateRate'),
    ack() {
      const armed = take(acks);
      if (armed !== undefined) return armed;
      if (roll('ackDropRate')) return { drop: true };
      return roll('ackDelayRate') ? { drop: false, delayMs: options.ackDelayMs } : undefined;
    },
    admit() {
      const armed = take(rejections);
      if (armed !== undefined) return armed;
      if (roll('rateLimitRate')) return streams.rateLimitRate() < 0.5 ? 'rateLimitExceeded' : 'providerRateLimitExceeded';
      return roll('serverErrorRate') ? 'internalServerError' : undefined;
    },
    itemFailure: () => take(itemFailures) ?? (roll('itemFailureRate') ? 'timeoutProvider' : undefined),
    needs: () => ({
      inbound: options.dropRate > 0 || options.freezeRate > 0 || authDelays.length > 0 || options.authDelayRate > 0,
      outbound: options.garbageRate > 0 || options.unroutableRate > 0 || options.duplicateRate > 0 || duplicates.length > 0,
      admit: options.rateLimitRate > 0 || options.serverErrorRate > 0 || rejections.length > 0,
      acknowledge: options.ackDropRate > 0 || options.ackDelayRate > 0 || acks.length > 0,
      generation: options.itemFailureRate > 0 || itemFailures.length > 0,
    }),
  };
};
