import { mulberry32, streamSeed, type Random } from './random.js';
import type { Session } from './session.js';

/** Options of {@link createLatencyModel}. */
export interface LatencyOptions {
  /** σ of the log-normal factor drawn once per task. */
  readonly latencySpread: number;
  /** σ of the log-normal factor drawn per generation, on top of the task's. */
  readonly generationSpread: number;
  /** Seed of every session's timing stream. */
  readonly seed: number;
}

/** When each generation of a new task is ready. */
export interface LatencyModel {
  /**
   * Delays after submission, in whole ms, at which each of `count` generations of a task of
   * `session` is ready, around `medianMs`.
   */
  delays(session: Session, medianMs: number, count: number): number[];
  /** The largest factor a delay can be of its median (draws are clamped), for retention bounds. */
  readonly maxFactor: number;
}

/** Draws further out than this are clamped, so one unlucky draw cannot hold a test for minutes. */
const MAX_SIGMAS = 4;
/** The timing stream's index under the seed, apart from the fault streams (0–10) of the same seed. */
const TIMING_STREAM = 64;

/** A standard normal draw (Box–Muller over two uniforms), clamped to ±{@link MAX_SIGMAS}. */
const normal = (random: Random): number => {
  const u = 1 - random(); // in (0, 1]: log(0) is never taken
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  return Math.max(-MAX_SIGMAS, Math.min(MAX_SIGMAS, z));
};

const logNormal = (random: Random, sigma: number): number => (sigma === 0 ? 1 : Math.exp(sigma * normal(random)));

/**
 * Latency as `median × exp(σ_task·Z) × exp(σ_generation·Z_i)`: log-normal, the usual shape of
 * service times (a floor near the median, a long right tail). The draws come from a mulberry32
 * stream per session, started from the seed when the session opens, so the same seed and the same
 * sequence of tasks on a session give the same timings, whatever other sessions do, and every
 * connection of a benchmark sees the same latencies. With both spreads 0 nothing is drawn.
 *
 * @param options The spreads and the seed.
 * @returns The model.
 */
export const createLatencyModel = ({ latencySpread, generationSpread, seed }: LatencyOptions): LatencyModel => {
  const fixed = latencySpread === 0 && generationSpread === 0;
  const timingSeed = streamSeed(seed, TIMING_STREAM);
  return {
    maxFactor: Math.exp(MAX_SIGMAS * (latencySpread + generationSpread)),
    delays(session, medianMs, count) {
      if (fixed) return new Array<number>(count).fill(medianMs);
      const random = (session.timing ??= mulberry32(timingSeed));
      const task = medianMs * logNormal(random, latencySpread);
      return Array.from({ length: count }, () => Math.round(task * logNormal(random, generationSpread)));
    },
  };
};
