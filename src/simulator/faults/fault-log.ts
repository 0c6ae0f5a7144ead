import { FAULT_KINDS, type FaultCounts, type FaultEvent, type FaultKind } from './types.js';

/** The record of injected faults behind `counts()` and `events()`. */
export interface FaultLog {
  record(event: FaultEvent): void;
  counts(): FaultCounts;
  /** The last `keep` events, oldest first. */
  events(): FaultEvent[];
  clear(): void;
}

const zeroCounts = (): Record<FaultKind, number> => Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;

/** Counters per kind (never truncated) plus a bounded list of the latest events. */
export const createFaultLog = (keep: number, log: (line: string) => void): FaultLog => {
  let counts = zeroCounts();
  const events: FaultEvent[] = [];
  return {
    record(event) {
      counts[event.kind]++;
      events.push(event);
      // Amortised: trim in chunks rather than shifting one element per event.
      if (events.length > 2 * keep) events.splice(0, events.length - keep);
      log(`fault ${JSON.stringify(event)}`);
    },
    counts: () => ({ ...counts }),
    events: () => events.slice(-keep),
    clear() {
      counts = zeroCounts();
      events.length = 0;
    },
  };
};
