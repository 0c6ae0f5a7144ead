import { Agent as HttpAgent, request as httpRequest, type ClientRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Timers } from './timers.js';
import { retryDelay, type ResolvedWebhookOptions } from './webhook-options.js';

/**
 * The one way the simulator sends a task's results out over HTTP, for webhooks (a POST of JSON)
 * and uploadEndpoint (a PUT of the file's bytes) alike: an attempt not answered 2xx within
 * `timeoutMs` is tried again after a back-off (webhook-options.ts), at most `attempts` times in
 * all; every delivery is recorded for tests; `close()` stops every attempt and timer.
 */

/** What became of one attempt: the HTTP status it was answered with, or why it had none. */
export type DeliveryAttempt = number | 'timeout' | 'network';

/** `pending` while attempts remain; `delivered` once answered 2xx; `failed` after the last attempt; `cancelled` by `close()`. */
export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'cancelled';

/** What the record of every delivery says, whatever it carried. */
export interface DeliveryRecord {
  readonly url: string;
  readonly taskType: string;
  readonly taskUUID: string;
  readonly state: DeliveryState;
  /** Each attempt's outcome, oldest first. */
  readonly attempts: readonly DeliveryAttempt[];
}

/** The request each attempt makes. */
export interface OutgoingRequest {
  readonly method: 'POST' | 'PUT';
  readonly contentType: string;
  readonly body: string | Uint8Array;
}

/** A sender whose records carry `D` besides the {@link DeliveryRecord} fields. */
export interface HttpSender<D extends object> {
  /** Sends `request` to `url` (checked by delivery-url.ts), retrying as configured. */
  send(url: string, request: OutgoingRequest, task: { readonly taskType: string; readonly taskUUID: string }, details: D): void;
  /** The most recent deliveries (at most 1000), in the order their first attempt was made. */
  deliveries(): (D & DeliveryRecord)[];
  /** Resolves once no delivery is pending (at once when none is): each was delivered, given up or cancelled. */
  idle(): Promise<void>;
  /** Cancels every pending delivery: in-flight requests are aborted, retry timers cleared, sockets closed. */
  close(): void;
}

/** Options of {@link createHttpSender}. */
export interface HttpSenderOptions {
  readonly options: ResolvedWebhookOptions;
  /** Retry waits and attempt timeouts run on these (the simulator's tracked timers). */
  readonly timers: Timers;
  readonly log: (line: string) => void;
  /** Names the deliveries in log lines: `webhook`, `upload`. */
  readonly kind: string;
  /** Jitter draws. Default `Math.random`. */
  readonly random?: () => number;
}

const MAX_RECORDS = 1000;

interface Kept<D> {
  readonly details: D;
  readonly url: string;
  readonly taskType: string;
  readonly taskUUID: string;
  state: DeliveryState;
  readonly attempts: DeliveryAttempt[];
}

interface Pending<D> {
  readonly url: URL;
  readonly request: OutgoingRequest;
  readonly record: Kept<D>;
  inFlight: ClientRequest | undefined;
  timer: ReturnType<Timers['after']> | undefined;
}

/** Creates a sender; the simulator owns one per kind of delivery. */
export const createHttpSender = <D extends object>({ options, timers, log, kind, random = Math.random }: HttpSenderOptions): HttpSender<D> => {
  // Own agents, so close() can end their kept-alive sockets; no socket outlives the simulator.
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  const records: Kept<D>[] = [];
  // The bodies (a video can be megabytes) are held here only, so they go once the delivery settles.
  const pending = new Set<Pending<D>>();
  let waiters: (() => void)[] = [];
  let closed = false;

  const settle = (delivery: Pending<D>, state: 'delivered' | 'failed' | 'cancelled') => {
    delivery.record.state = state;
    delivery.inFlight = undefined;
    if (delivery.timer !== undefined) timers.cancel(delivery.timer);
    delivery.timer = undefined;
    pending.delete(delivery);
    if (pending.size > 0) return;
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };

  const attempt = (delivery: Pending<D>) => {
    const { url, record, request: outgoing } = delivery;
    let done = false;
    const outcome = (result: DeliveryAttempt) => {
      if (done || closed) return;
      done = true;
      if (delivery.timer !== undefined) timers.cancel(delivery.timer);
      delivery.timer = undefined;
      delivery.inFlight = undefined;
      record.attempts.push(result);
      if (typeof result === 'number' && result >= 200 && result < 300) return settle(delivery, 'delivered');
      const made = record.attempts.length;
      if (made >= options.attempts) {
        log(`${kind} ${record.taskType} ${record.taskUUID} to ${url.origin}: gave up after ${made} attempts (last: ${result})`);
        return settle(delivery, 'failed');
      }
      delivery.timer = timers.after(retryDelay(made, options, random()), () => {
        delivery.timer = undefined;
        attempt(delivery);
      });
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, {
      method: outgoing.method,
      agent: url.protocol === 'https:' ? agents.https : agents.http,
      headers: { 'content-type': outgoing.contentType, 'content-length': Buffer.byteLength(outgoing.body), 'user-agent': 'runware-rx-simulator' },
    });
    delivery.inFlight = request;
    request.on('response', (response) => {
      // Read to the end, so the socket goes back to the agent; the answer's body is not used.
      response.resume();
      outcome(response.statusCode ?? 0);
    });
    request.on('error', () => outcome('network'));
    delivery.timer = timers.after(options.timeoutMs, () => {
      delivery.timer = undefined;
      outcome('timeout');
      request.destroy();
    });
    request.end(outgoing.body);
  };

  return {
    send(target, request, { taskType, taskUUID }, details) {
      if (closed) return;
      const record: Kept<D> = { details, url: target, taskType, taskUUID, state: 'pending', attempts: [] };
      records.push(record);
      if (records.length > MAX_RECORDS) records.splice(0, records.length - MAX_RECORDS);
      const delivery: Pending<D> = { url: new URL(target), request, record, inFlight: undefined, timer: undefined };
      pending.add(delivery);
      attempt(delivery);
    },
    deliveries: () =>
      records.map(({ details, url, taskType, taskUUID, state, attempts }) => ({ ...details, url, taskType, taskUUID, state, attempts: [...attempts] })),
    idle: () => (pending.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    close() {
      closed = true;
      for (const delivery of [...pending]) {
        delivery.inFlight?.destroy();
        settle(delivery, 'cancelled');
      }
      agents.http.destroy();
      agents.https.destroy();
    },
  };
};
