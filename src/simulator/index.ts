import { randomUUID } from 'node:crypto';
import { createAccount } from './account.js';
import { openConnection } from './connection.js';
import { createDelivery } from './delivery.js';
import type { SimulatorEnv } from './env.js';
import type { OpenStreams } from './event-stream.js';
import { createFaults } from './faults/create-faults.js';
import type { Faults } from './faults/types.js';
import { createRequestListener } from './http-routes.js';
import { createLatencyModel } from './latency.js';
import { createMediaEngine } from './media/media-engine.js';
import { createMediaStore } from './media/media-store.js';
import { mediaStatusOf, missingMediaNotice, videosInWords, type SimulatorMedia } from './media/media-status.js';
import { loadMediaPackages, NO_MEDIA_PACKAGES } from './media/optional-deps.js';
import { resolveOptions, type SimulatorOptions } from './options.js';
import { createRestHandler, type RestHandler } from './rest.js';
import { sendJson } from './rest-reply.js';
import { listen, urlHost, WEBSOCKET_PATH } from './server.js';
import { createSessionRegistry } from './session.js';
import { createStats, type SimulatorStats } from './stats.js';
import { createTaskStore } from './task-store.js';
import { createTimers } from './timers.js';
import type { TaskObject } from './types.js';
import { createUploadSender, type SimulatorUploads } from './upload-sender.js';
import { createWebhookSender, type SimulatorWebhooks } from './webhooks.js';

export type {
  DropCloseCode,
  DropOptions,
  FaultCounts,
  FaultEvent,
  FaultKind,
  FaultOptions,
  Faults,
  FaultTarget,
  RateLimitCode,
  UnroutableErrorOptions,
} from './faults/types.js';
export type { DeliveryAttempt, DeliveryRecord, DeliveryState } from './http-sender.js';
export type { SimulatorMedia } from './media/media-status.js';
export type { ModelReadinessOptions } from './model-readiness.js';
export type { ExternalInputs, FailureShape, SimulatorOptions } from './options.js';
export type { Framing, SimulatorProfile } from './profile.js';
export type { SimulatorStats } from './stats.js';
export type { TaskObject } from './types.js';
export type { SimulatorUploads, UploadDelivery } from './upload-sender.js';
export type { WebhookOptions } from './webhook-options.js';
export type { SimulatorWebhooks, WebhookAttempt, WebhookDelivery } from './webhooks.js';

/** A running simulator. */
export interface Simulator {
  /** WebSocket endpoint, e.g. `ws://127.0.0.1:40123/v1`. */
  readonly url: string;
  /** HTTP base serving REST at `POST /v1` and media at `/media/<name>`, e.g. `http://127.0.0.1:40123`. */
  readonly httpUrl: string;
  readonly port: number;
  /**
   * What is served: real images and videos, or placeholders (fast mode, or an optional media
   * package that could not be loaded: then `missing` names it and a notice was logged at start).
   */
  readonly media: SimulatorMedia;
  /** A snapshot of the counters (frames, tasks received and started per taskType, open sockets, sessions). */
  stats(): SimulatorStats;
  /**
   * The most recent task objects received, oldest first, auth and ping included: at most 10 000
   * tasks and about 32 MiB. A task is kept as sent unless its share of its frame exceeds 16 KiB;
   * then long strings, arrays and objects in it are cut to a prefix and a marker such as
   * `…[10485760 chars]`. The `apiKey` of authentication tasks reads `[redacted]`.
   */
  receivedTasks(): TaskObject[];
  /** Fault injection: one-shot commands, chaos rates and counters (see the README's fault table). */
  readonly faults: Faults;
  /** What was POSTed to tasks' `webhookURL`s, and a wait for the deliveries still pending. */
  readonly webhooks: SimulatorWebhooks;
  /** What was PUT to tasks' `uploadEndpoint`s (their output files), and a wait for the uploads still pending. */
  readonly uploads: SimulatorUploads;
  /** Closes every socket and the HTTP server; resolves when all are closed. Safe to call twice. */
  close(): Promise<void>;
}

/** Generated and uploaded media kept in memory before the least recently used is dropped. */
const MEDIA_CACHE_BYTES = 200 * 1024 * 1024;
/** Media UUIDs remembered as inputs of later tasks (a few dozen bytes each; the files are bounded above). */
const MAX_MEDIA_UUIDS = 100_000;
/** Tasks stay known (conflicts, getResponse) at least this long; the count cap bounds memory. */
const MIN_TASK_RETENTION_MS = 10 * 60_000;
const MAX_TASK_RECORDS = 100_000;

/** The REST route before the simulator is wired: 503, come back in a second. */
const starting: RestHandler = (request, response) => {
  request.resume();
  sendJson(response, 503, { errors: [{ code: 'serviceUnavailable', message: 'The simulator is starting.' }] }, { 'retry-after': '1' });
};

/** Each distinct notice once per process: a test suite starting many simulators warns once. */
const noticesShown = new Set<string>();
const warnOnce = (line: string): void => {
  if (noticesShown.has(line)) return;
  noticesShown.add(line);
  console.warn(`runware-rx simulator: ${line}`);
};

/**
 * Starts a local Runware API simulator: the WebSocket protocol and REST on `/v1`, and generated
 * media over HTTP, on one port.
 *
 * @param options see {@link SimulatorOptions}; all optional.
 * @returns the running simulator; call `close()` when done.
 * @example
 * ```ts
 * const simulator = await startSimulator({ media: false });
 * const socket = new WebSocket(simulator.url);
 * // ... authenticate, send tasks ...
 * await simulator.close();
 * ```
 */
export const startSimulator = async (options?: SimulatorOptions): Promise<Simulator> => {
  const resolved = resolveOptions(options);
  // Loaded before listening, so a missing package is known (and said) before the first task.
  const packages = resolved.media ? await loadMediaPackages() : NO_MEDIA_PACKAGES;
  const notice = missingMediaNotice(packages);
  if (notice !== undefined) (options?.log ?? warnOnce)(notice);
  const media = mediaStatusOf(packages);
  const store = createMediaStore(MEDIA_CACHE_BYTES);
  // The REST handler needs the environment, which needs the server's URL: it is bound once both
  // exist (before the first request can be read, but a route must answer something until then).
  let rest: RestHandler = starting;
  const server = await listen(resolved.host, resolved.port, createRequestListener({ store, rest: (request, response) => rest(request, response) }));
  const origin = `${urlHost(resolved.host)}:${server.port}`;
  const httpUrl = `http://${origin}`;
  const url = `ws://${origin}${WEBSOCKET_PATH}`;

  let closed = false;
  const isClosed = () => closed;
  const now = Date.now;
  const timers = createTimers();
  const sessions = createSessionRegistry({ bufferMs: resolved.sessionBufferMs, timers, now });
  const delivery = createDelivery({ bufferMs: resolved.sessionBufferMs, framing: resolved.framing, now, isClosed, onBuffered: sessions.hold });
  const latency = createLatencyModel({
    latencySpread: resolved.latencySpread,
    generationSpread: resolved.generationSpread,
    seed: resolved.latencySeed,
  });
  const slowest = latency.maxFactor * Math.max(resolved.videoReadyAfterMs, resolved.imageLatencyMs);
  const streams: OpenStreams = new Set();
  const { faults, hooks } = createFaults({ timers, delivery, streams, initial: resolved.faults, log: resolved.log });
  const stats = createStats();
  // Uploads retry on the webhooks' schedule: one rule for every delivery the simulator makes.
  const senders = { options: resolved.webhooks, timers, log: resolved.log };
  const webhooks = createWebhookSender(senders);
  const uploads = createUploadSender(senders);
  const env: SimulatorEnv = {
    options: resolved,
    now,
    isClosed,
    stats,
    sessions, delivery,
    tasks: createTaskStore({
      retentionMs: Math.max(resolved.sessionBufferMs, MIN_TASK_RETENTION_MS) + slowest,
      maxRecords: MAX_TASK_RECORDS,
      now,
      onAdd: (record) => stats.taskStarted(record.taskType),
    }),
    media: createMediaEngine({ packages, baseUrl: httpUrl, store, maxUuids: MAX_MEDIA_UUIDS, isClosed }),
    latency,
    timers,
    hooks,
    account: createAccount(randomUUID()),
    webhooks,
    uploads,
    streams,
  };
  rest = createRestHandler(env);
  server.acceptWebSockets((socket, upgrade) => openConnection(socket, env, upgrade));
  resolved.log(`listening on ${url} (${media.images} images, ${videosInWords(media)}, ${resolved.profile} profile)`);

  let closing: Promise<void> | undefined;
  return {
    url,
    httpUrl,
    port: server.port,
    media,
    stats: () => env.stats.snapshot(env.sessions.size),
    receivedTasks: () => env.stats.received(),
    faults,
    webhooks: { deliveries: webhooks.deliveries, idle: webhooks.idle },
    uploads: { deliveries: uploads.deliveries, idle: uploads.idle },
    close: () =>
      (closing ??= (async () => {
        closed = true;
        webhooks.close();
        uploads.close();
        await server.close();
        env.sessions.clear();
        timers.cancelAll();
        store.clear();
        resolved.log('closed');
      })()),
  };
};
