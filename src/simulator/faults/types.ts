/**
 * Public types of the simulator's fault injection (`simulator.faults`, `startSimulator({ faults })`).
 * The semantics of every fault are tabled in `src/simulator/README.md`.
 */

/** Every kind of fault the simulator can inject, as counted by {@link Faults.counts}. */
export const FAULT_KINDS = [
  'drop',
  'serverClose',
  'cleanClose',
  'freeze',
  'garbage',
  'unroutable',
  'duplicate',
  'authDelay',
  'ackDelay',
  'ackDrop',
  'rateLimit',
  'serverError',
  'itemFailure',
  'streamCut',
] as const;

/**
 * One kind of fault, and what it does on a socket / to a REST request (`POST /v1`, a request from
 * its body's reading until its answer is out):
 * - `drop`: TCP destroyed, no close frame (the client sees 1006) / the request's connection
 *   destroyed without an answer, a stream under way cut. A chaos drop over HTTP is always this one.
 * - `serverClose` (close frame 1011 or 1001), `cleanClose` (close frame 1000): WebSocket only;
 *   HTTP has no close frames.
 * - `freeze`: a half-open socket / a request that gets no answer (a stream no more events) until
 *   thawed; one frozen before its body was read never ran, and its thaw resets the connection.
 * - `garbage`: a non-JSON text frame / the answer replaced by a 200 whose body is not JSON, or a
 *   `data:` line that is not JSON put into a stream under way.
 * - `unroutable`: an error frame without taskUUID / the answer replaced by that error body with
 *   its status (500 for `internalServerError`), or put into a stream as an event.
 * - `duplicate`: a task frame written twice / no HTTP meaning (each answer is written once).
 * - `authDelay`: the auth frame and those after it handled late / the request handled late.
 * - `ackDelay`, `ackDrop`, `rateLimit` and `serverError` (task rejected at submission),
 *   `itemFailure` (one generation failed): task-level, the same on both.
 * - `streamCut`: an HTTP event stream ended mid-answer, without `[DONE]` (REST only).
 */
export type FaultKind = (typeof FAULT_KINDS)[number];

/** How many faults of each kind were injected since start (or the last `reset()`). */
export type FaultCounts = Readonly<Record<FaultKind, number>>;

/** One injected fault, for logs and reproducibility checks. */
export interface FaultEvent {
  readonly kind: FaultKind;
  /** The task concerned (acks, rejections, item failures, duplicated task frames). */
  readonly taskUUID?: string;
  /** The session of the socket or task concerned, when there is one. */
  readonly sessionUUID?: string;
  /** The error code sent (rejections, item failures, unroutable errors). */
  readonly code?: string;
  /** The WebSocket close code the client sees (drops: 1006 when no close frame was sent). */
  readonly closeCode?: number;
}

/**
 * Random chaos: a probability in [0, 1] per event, drawn from a seeded PRNG so that a run is
 * reproducible: the same seed, options and sequence of inputs inject the same faults. Every kind
 * draws from its own stream derived from the seed, so e.g. which tasks are rate-limited depends only
 * on the sequence of tasks, not on how outbound frames happened to be batched. Every field is
 * optional; rates default to 0 (off).
 */
export interface FaultOptions {
  /** Seed of the PRNG, an integer 0 to 2^32-1. Default 1. Setting it restarts every stream. */
  seed?: number;
  /** Per inbound frame (REST: per request): the socket is dropped (kind and whether the frame was read first: random; over HTTP always the plain drop). */
  dropRate?: number;
  /** Per inbound frame (REST: per request): the socket freezes (half-open) before reading it, for good. */
  freezeRate?: number;
  /** Per authentication frame (REST: per request, each one authenticating): the inbound frames are held for `authDelayMs`. */
  authDelayRate?: number;
  /** Delay of an auth reply picked by `authDelayRate`. Default 1000 ms. */
  authDelayMs?: number;
  /** Per outbound frame (REST: per JSON answer, or per stream event): a non-JSON text frame is written before it (a JSON answer is replaced by it). */
  garbageRate?: number;
  /** Per outbound frame (as `garbageRate`): an error frame without taskUUID is written before it (a JSON answer is replaced by it). */
  unroutableRate?: number;
  /** Per outbound task frame (one with an item carrying a taskUUID): it is written twice. Sockets only. */
  duplicateRate?: number;
  /** Per async acknowledgement: it is never sent (the task still runs). */
  ackDropRate?: number;
  /** Per async acknowledgement not dropped: it is sent `ackDelayMs` late. */
  ackDelayRate?: number;
  /** Delay of an ack picked by `ackDelayRate`. Default 1000 ms. */
  ackDelayMs?: number;
  /** Per submitted task: rejected with `rateLimitExceeded` or `providerRateLimitExceeded` (even odds). */
  rateLimitRate?: number;
  /** Per submitted task not rate-limited: rejected with `internalServerError`. */
  serverErrorRate?: number;
  /** Per generation: it fails with `timeoutProvider`. */
  itemFailureRate?: number;
}

/** Which wires a one-shot command hits (sockets, and REST requests awaiting their answer): all of them, or those of one session. */
export interface FaultTarget {
  /** Only the sockets authenticated into this `connectionSessionUUID` (or the REST requests of a REST session, as fault events name it). */
  readonly sessionUUID?: string;
}

/** Close codes a drop may send in its close frame. */
export type DropCloseCode = 1000 | 1001 | 1011;

/** Options of {@link Faults.drop}. */
export interface DropOptions extends FaultTarget {
  /**
   * `false`: destroy the TCP socket without a close frame (ws `terminate()`; the client sees 1006).
   * `true`: send a close frame with `code` first. Default: `true` when `code` is given, else `false`.
   */
  readonly closeFrame?: boolean;
  /** Close code of the close frame: 1011 (default), 1001 or 1000 (a clean close). */
  readonly code?: DropCloseCode;
}

/** Codes a rate-limit burst rejects tasks with. */
export type RateLimitCode = 'rateLimitExceeded' | 'providerRateLimitExceeded';

/** Options of {@link Faults.sendUnroutableError}. */
export interface UnroutableErrorOptions extends FaultTarget {
  /** Default `internalServerError`. */
  readonly code?: string;
  readonly message?: string;
}

/** Fault injection on a running simulator: one-shot commands, chaos rates, counters. */
export interface Faults {
  /**
   * Drops the targeted sockets now; their sessions survive. Without a close frame it also cuts the
   * REST requests in flight (no answer; their tasks run on). Returns how many were hit.
   */
  drop(options?: DropOptions): number;
  /**
   * Makes the targeted sockets half-open (see `Connection.setFrozen`), and the REST requests in
   * flight silent (their answers, or their streams' events, held until `thaw`). Returns how many.
   */
  freeze(target?: FaultTarget): number;
  /**
   * Ends every HTTP event stream under way (a streamed textInference over REST) mid-answer: the
   * connection is destroyed without `[DONE]`, as a network that fails does. The task runs on and
   * its result is kept for getResponse. Returns how many streams were cut.
   */
  cutStreams(): number;
  /** Ends a freeze; a socket still serving its session gets the results buffered meanwhile, a REST request its held answer. */
  thaw(target?: FaultTarget): number;
  /** Writes one non-JSON text frame to the targeted (open, not frozen) sockets; a REST request in flight gets it as its answer (200), a stream as a `data:` line. */
  sendGarbage(target?: FaultTarget): number;
  /** Writes `{"errors":[{code,message}]}` without taskUUID to the targeted sockets; a REST request in flight gets it as its answer (with the code's status), a stream as an event. */
  sendUnroutableError(options?: UnroutableErrorOptions): number;
  /** The next `count` submitted tasks are rejected with a rate-limit error (not remembered). */
  rateLimitBurst(count: number, code?: RateLimitCode): void;
  /** The next `count` submitted tasks are rejected with `internalServerError` (not remembered). */
  serverErrorBurst(count: number): void;
  /** The next `count` generations fail with `code` (default `timeoutProvider`); the task is remembered. */
  failNextItems(count: number, code?: string): void;
  /** The next `count` (default 1) authentications (socket auth frames and REST requests alike) are answered `ms` late. */
  delayAuth(ms: number, count?: number): void;
  /** The next `count` (default 1) async acknowledgements are sent `ms` late. */
  delayAcks(ms: number, count?: number): void;
  /** The next `count` (default 1) async acknowledgements are never sent. */
  dropAcks(count?: number): void;
  /** The next `count` (default 1) outbound task frames (replays included) are written twice. Sockets only: an HTTP answer is written once, and REST answers do not use up the count. */
  duplicateResults(count?: number): void;
  /** Changes chaos rates (merged into the current ones); a `seed` restarts the random streams. */
  configure(options: FaultOptions): void;
  /** Back to no faults: chaos off, one-shots disarmed, frozen sockets thawed, counters zeroed. */
  reset(): void;
  counts(): FaultCounts;
  /** The most recent injected faults (up to 1000), oldest first. */
  events(): FaultEvent[];
}
