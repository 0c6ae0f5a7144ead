/**
 * Profiles: named sets of delivery options. `default` is the simulator as it always was (fast,
 * predictable, a task's results of one event-loop turn share a frame, progress on every poll);
 * `realistic` delivers the way the real API does as a rule (protocol §1.4, §5.3): one frame per
 * result as each is ready, generations of a task finishing at different times, latencies spread
 * around their median, and no `progress` on video polls.
 */

/** A named set of delivery options; every part can still be set on its own. */
export type SimulatorProfile = 'default' | 'realistic';

/**
 * How outbound items are framed. `batched`: what is queued for one task in one event-loop turn
 * leaves as one frame (its results, its errors); tasks never share a frame, since clients (the
 * official JS SDK among them) read a frame as one task's. `mixed`: everything queued for a session
 * in one turn leaves as one frame, results and errors of different tasks together, as the protocol
 * allows (for testing a client's routing). `per-result`: every reply leaves as its own frame the
 * moment it is produced: one frame per result, per acknowledgement, per task error, per
 * getResponse answer. A pong is always a frame of its own.
 */
export type Framing = 'batched' | 'mixed' | 'per-result';

/** The delivery options a profile sets. */
export interface ProfileSettings {
  readonly framing: Framing;
  /** σ of the log-normal latency factor drawn per task (0: every task takes exactly the median). */
  readonly latencySpread: number;
  /** σ of the log-normal factor drawn per generation on top (0: a task's generations finish together). */
  readonly generationSpread: number;
  /** Whether `processing` items of getResponse answers carry `progress`. */
  readonly progress: boolean;
  /** Median time to each sync image result (and to readiness of an async image). */
  readonly imageLatencyMs: number;
  /** Median time from an async submission until its result is ready. */
  readonly videoReadyAfterMs: number;
}

/** Every profile's settings; explicit options override them one by one. */
export const PROFILES: Readonly<Record<SimulatorProfile, ProfileSettings>> = {
  default: { framing: 'batched', latencySpread: 0, generationSpread: 0, progress: true, imageLatencyMs: 0, videoReadyAfterMs: 3000 },
  // Time is scaled down (real images take seconds): tens of ms keep tests and the bench practical
  // while still spreading thousands of results over distinct frames and moments.
  realistic: { framing: 'per-result', latencySpread: 0.5, generationSpread: 0.3, progress: false, imageLatencyMs: 25, videoReadyAfterMs: 3000 },
};

/** Whether a value names a profile; own keys only, so `toString` is no profile. */
export const isProfile = (value: unknown): value is SimulatorProfile => typeof value === 'string' && Object.hasOwn(PROFILES, value);
