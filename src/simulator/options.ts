import { mergeFaultOptions, NO_FAULTS, type ResolvedFaultOptions } from './faults/fault-options.js';
import type { FaultOptions } from './faults/types.js';

/** Options of {@link startSimulator}. Every field is optional; defaults are listed per field. */
export interface SimulatorOptions {
  /** Interface to listen on. Default `'127.0.0.1'` (loopback only). */
  host?: string;
  /** Port to listen on. Default `0`: an ephemeral port; read it back from `simulator.port`. */
  port?: number;
  /** When set, only this key authenticates; when unset, any non-empty key does. */
  apiKey?: string;
  /**
   * Default `true`: images and videos are really drawn and encoded (needs the optional packages
   * `sharp` and `h264-mp4-encoder`; without one, the simulator says so at start, through `log` or
   * else `console.warn`, and serves placeholders for what it cannot make). `false` is the fast
   * mode for benchmarks: nothing is loaded or encoded, URLs point at one tiny placeholder file per
   * format and base64 outputs carry that file.
   */
  media?: boolean;
  /** Time from an async submission until its result is ready. Default 3000 ms. */
  videoReadyAfterMs?: number;
  /** Artificial delay before each sync image result. Default 0 ms. */
  imageLatencyMs?: number;
  /** How long a session and its undelivered results are kept for resume. Default 120 000 ms. */
  sessionBufferMs?: number;
  /** A WebSocket that receives nothing for this long is closed. Default 120 000 ms; 0 disables. */
  idleTimeoutMs?: number;
  /** Debug sink; receives one line per notable event. Default: silent. */
  log?: (line: string) => void;
  /** Random chaos from the start (see `FaultOptions`); change it later with `simulator.faults`. Default: none. */
  faults?: FaultOptions;
}

/** Options with every default applied. */
export type ResolvedOptions = Required<Omit<SimulatorOptions, 'apiKey' | 'faults'>> & {
  apiKey: string | undefined;
  faults: ResolvedFaultOptions | undefined;
};

const nonNegative = (name: string, value: number): number => {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`startSimulator: ${name} must be a finite number >= 0, got ${value}`);
  }
  return value;
};

/** Applies defaults and rejects nonsensical numbers early, with the option's name in the message. */
export const resolveOptions = (options: SimulatorOptions = {}): ResolvedOptions => {
  const {
    host = '127.0.0.1',
    port = 0,
    apiKey,
    media = true,
    videoReadyAfterMs = 3000,
    imageLatencyMs = 0,
    sessionBufferMs = 120_000,
    idleTimeoutMs = 120_000,
    log = () => {},
    faults,
  } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`startSimulator: port must be an integer 0-65535, got ${port}`);
  }
  return {
    host,
    port,
    apiKey,
    media,
    videoReadyAfterMs: nonNegative('videoReadyAfterMs', videoReadyAfterMs),
    imageLatencyMs: nonNegative('imageLatencyMs', imageLatencyMs),
    sessionBufferMs: nonNegative('sessionBufferMs', sessionBufferMs),
    idleTimeoutMs: nonNegative('idleTimeoutMs', idleTimeoutMs),
    log,
    // Checked now, so a bad rate fails startSimulator rather than the first frame.
    faults: faults === undefined ? undefined : mergeFaultOptions(NO_FAULTS, faults),
  };
};
