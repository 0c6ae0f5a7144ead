import { mergeFaultOptions, NO_FAULTS, type ResolvedFaultOptions } from './faults/fault-options.js';
import type { FaultOptions } from './faults/types.js';
import { createModelReadiness, type ModelReadiness, type ModelReadinessOptions } from './model-readiness.js';
import { choice, nonNegative, spread } from './option-checks.js';
import { isProfile, PROFILES, type Framing, type SimulatorProfile } from './profile.js';
import { resolveWebhookOptions, type ResolvedWebhookOptions, type WebhookOptions } from './webhook-options.js';

/** Options of {@link startSimulator}. Every field is optional; defaults are listed per field. */
export interface SimulatorOptions {
  /** Interface to listen on. Default `'127.0.0.1'` (loopback only). */
  host?: string;
  /** Port to listen on. Default `0`: an ephemeral port; read it back from `simulator.port`. */
  port?: number;
  /**
   * Which keys authenticate. A string: only that key. A function: the keys it returns `true` for
   * (it sees every key offered, so a test can check which one a client sent; `receivedTasks()`
   * never shows them). Unset: any non-empty key.
   */
  apiKey?: string | ((apiKey: string) => boolean);
  /**
   * Default `true`: images and videos are really drawn and encoded (needs the optional packages
   * `sharp` and `h264-mp4-encoder`, and `mediabunny` for WEBM and MOV videos; without one, the
   * simulator says so at start, through `log` or else `console.warn`, and serves placeholders for
   * what it cannot make). `false` is the fast mode for benchmarks: nothing is loaded or encoded,
   * URLs point at one tiny placeholder file per format and base64 outputs carry that file.
   */
  media?: boolean;
  /**
   * A named set of delivery options (`framing`, `latencySpread`, `generationSpread`, `progress`,
   * `imageLatencyMs`, `videoReadyAfterMs`); any of them given explicitly wins over the profile.
   * `'default'`: results of one event-loop turn share a frame, every task takes exactly its
   * latency, progress on every poll. `'realistic'`: delivery as the real API does it as a rule
   * (one frame per result, spread latencies, staggered generations, no progress). Default `'default'`.
   */
  profile?: SimulatorProfile;
  /**
   * `'batched'`: what is queued for one task in one event-loop turn leaves as one frame (tasks
   * never share one). `'mixed'`: everything queued for a session in one turn leaves as one frame,
   * different tasks' results and errors together (a test of a client's routing; the official JS
   * SDK mis-reads such frames). `'per-result'`: each result, ack, error and getResponse answer
   * leaves as its own frame when it is ready. A pong always leaves alone. Default: the profile's
   * (`'batched'`; realistic `'per-result'`).
   */
  framing?: Framing;
  /**
   * Median time from an async submission until its result is ready (each task and generation
   * draws around it when the spreads are above 0). Default 3000 ms in both profiles.
   */
  videoReadyAfterMs?: number;
  /** Median delay before each sync image result (and until an async image is ready). Default: 0 ms; realistic 25 ms. */
  imageLatencyMs?: number;
  /**
   * σ of a log-normal factor on the latency, drawn once per task (sync images and async readiness):
   * 0.5 puts 90 % of tasks between 0.44× and 2.3× the median. At most 2; draws are clamped to
   * ±4 σ. Default: 0; realistic 0.5.
   */
  latencySpread?: number;
  /**
   * σ of a log-normal factor drawn per generation on top of the task's, so the `numberResults`
   * generations of one task finish at different times, in an order unrelated to their seeds.
   * Default: 0 (they finish together); realistic 0.3.
   */
  generationSpread?: number;
  /** Seed of the latency draws (an integer 0 to 2^32-1); each session starts its own stream from it. Default 1. */
  latencySeed?: number;
  /**
   * Whether `processing` items of getResponse answers carry `progress` (the API reports it mostly
   * for training). Default: `true`; realistic `false`.
   */
  progress?: boolean;
  /**
   * How a failed generation is reported (protocol §5.5): `'errors'`, a top-level `errors` item with
   * `status: "error"` (the docs' shape); `'data'`, a `data` item with `status: "error"` and the
   * error under `error` (the new SDKs' tests). Default `'errors'`.
   */
  failureShape?: FailureShape;
  /** How long each undelivered result is kept for resume, and a detached session with it. Default 120 000 ms. */
  sessionBufferMs?: number;
  /** A WebSocket that receives nothing for this long is closed. Default 120 000 ms; 0 disables. */
  idleTimeoutMs?: number;
  /**
   * Whether `model` must name a model that exists: a catalogued one, or an AIR of a namespace the
   * API uses (`runware`, `civitai`, `klingai`, `google`, …; see the README). Others, such as
   * `nonexistent:999@999`, get `modelNotFound` as from the real API. `false` accepts every
   * well-formed AIR. Default `true`.
   */
  checkModels?: boolean;
  /**
   * What an `http(s)` media input the simulator does not serve itself becomes (it never fetches
   * from the network). `'stand-in'`: a deterministic image drawn from a hash of the URL, so that
   * tests written for the real API run offline. `'error'`: the task fails with the API-shaped
   * error an unreachable URL gets (`invalid<Field>`). Default `'stand-in'`.
   */
  externalInputs?: ExternalInputs;
  /** Debug sink; receives one line per notable event. Default: silent. */
  log?: (line: string) => void;
  /** Random chaos from the start (see `FaultOptions`); change it later with `simulator.faults`. Default: none. */
  faults?: FaultOptions;
  /**
   * Per-model readiness of `videoInference` tasks, for benchmarks of polling: each task of a
   * listed model is ready after a time drawn uniformly over `typical × (1 ± spread)` from the
   * seed and its taskUUID (see `ModelReadinessOptions`). Other models keep `videoReadyAfterMs`.
   * Default: none.
   */
  modelReadiness?: ModelReadinessOptions;
  /**
   * How results of tasks sent with `webhookURL` are POSTed: the attempt timeout and the retry
   * schedule (see `WebhookOptions`). Default: 5 s per attempt, 8 attempts, 250 ms doubling to 8 s.
   */
  webhooks?: WebhookOptions;
}

/** Where a failed generation is reported: see {@link SimulatorOptions.failureShape}. */
export type FailureShape = 'errors' | 'data';
/** Every {@link FailureShape}, for the checks of the option and of its flag. */
export const FAILURE_SHAPES: readonly FailureShape[] = ['errors', 'data'];

/** What an external `http(s)` media input becomes: see {@link SimulatorOptions.externalInputs}. */
export type ExternalInputs = 'stand-in' | 'error';

/** Options with every default applied. */
export type ResolvedOptions = Required<Omit<SimulatorOptions, 'apiKey' | 'faults' | 'modelReadiness' | 'webhooks'>> & {
  apiKey: string | ((apiKey: string) => boolean) | undefined;
  faults: ResolvedFaultOptions | undefined;
  /** The per-model draws (one set per simulator), when `modelReadiness` is given. */
  modelReadiness: ModelReadiness | undefined;
  webhooks: ResolvedWebhookOptions;
};

/** Applies defaults (the profile's, then the fixed ones) and rejects nonsense early, naming the option. */
export const resolveOptions = (options: SimulatorOptions = {}): ResolvedOptions => {
  const profile = options.profile ?? 'default';
  if (!isProfile(profile)) throw new RangeError(`startSimulator: profile must be one of ${Object.keys(PROFILES).join(', ')}, got ${String(profile)}`);
  const preset = PROFILES[profile];
  const {
    host = '127.0.0.1',
    port = 0,
    apiKey,
    media = true,
    framing = preset.framing,
    videoReadyAfterMs = preset.videoReadyAfterMs,
    imageLatencyMs = preset.imageLatencyMs,
    latencySpread = preset.latencySpread,
    generationSpread = preset.generationSpread,
    latencySeed = 1,
    progress = preset.progress,
    failureShape = 'errors',
    sessionBufferMs = 120_000,
    idleTimeoutMs = 120_000,
    checkModels = true,
    externalInputs = 'stand-in',
    log = () => {},
    faults,
    modelReadiness,
    webhooks,
  } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`startSimulator: port must be an integer 0-65535, got ${port}`);
  }
  if (!Number.isInteger(latencySeed) || latencySeed < 0 || latencySeed > 0xffff_ffff) {
    throw new RangeError(`startSimulator: latencySeed must be an integer 0 to 4294967295, got ${latencySeed}`);
  }
  if (typeof progress !== 'boolean') throw new RangeError(`startSimulator: progress must be a boolean, got ${String(progress)}`);
  if (typeof checkModels !== 'boolean') throw new RangeError(`startSimulator: checkModels must be a boolean, got ${String(checkModels)}`);
  return {
    host,
    port,
    apiKey,
    media,
    profile,
    framing: choice('framing', framing, ['batched', 'mixed', 'per-result']),
    videoReadyAfterMs: nonNegative('videoReadyAfterMs', videoReadyAfterMs),
    imageLatencyMs: nonNegative('imageLatencyMs', imageLatencyMs),
    latencySpread: spread('latencySpread', latencySpread),
    generationSpread: spread('generationSpread', generationSpread),
    latencySeed,
    progress,
    failureShape: choice('failureShape', failureShape, FAILURE_SHAPES),
    sessionBufferMs: nonNegative('sessionBufferMs', sessionBufferMs),
    idleTimeoutMs: nonNegative('idleTimeoutMs', idleTimeoutMs),
    checkModels,
    externalInputs: choice('externalInputs', externalInputs, ['stand-in', 'error']),
    log,
    // Checked now, so a bad rate fails startSimulator rather than the first frame.
    faults: faults === undefined ? undefined : mergeFaultOptions(NO_FAULTS, faults),
    modelReadiness: modelReadiness === undefined ? undefined : createModelReadiness(modelReadiness),
    webhooks: resolveWebhookOptions(webhooks),
  };
};
