import { describe } from 'vitest';
import type { SimulatorProfile } from 'runware-rx/simulator';

/** Both delivery profiles of the simulator, for suites that concern delivery. */
export const PROFILES: readonly SimulatorProfile[] = ['default', 'realistic'];

/**
 * `describe` once per simulator profile: the suite's title gets the profile's name, and its body
 * receives the profile to start its simulators with. Suites about delivery (results, numbering,
 * de-duplication, polling, settled mode, faults) run against the easy case (`default`: a turn's
 * results share a frame, generations finish together, progress on every poll) and against
 * delivery as the real API does it (`realistic`).
 *
 * @param title The suite's title.
 * @param body Declares the tests, given the profile.
 */
export function describeEachProfile(title: string, body: (profile: SimulatorProfile) => void): void {
  describe.each(PROFILES)(`${title} (%s profile)`, body);
}
