import { Agent as HttpAgent, request as httpRequest, type ClientRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { writeExactJson } from './exact-json.js';
import type { Timers } from './timers.js';
import { retryDelay, type ResolvedWebhookOptions } from './webhook-options.js';

/**
 * Webhooks (protocol §5.7, §10.5): a task with `webhookURL` has each of its result items POSTed
 * there as JSON, one POST per item, the body the flat item. An attempt that is not answered 2xx
 * within `timeoutMs` is tried again after a back-off (250 ms doubling to 8 s, with jitter), at
 * most `attempts` times in all; `close()` stops every attempt and timer.
 */

/** What became of one attempt: the HTTP status it was answered with, or why it had none. */
export type WebhookAttempt = number | 'timeout' | 'network';

/** One item the simulator POSTs (or posted) to a task's `webhookURL`. */
export interface WebhookDelivery {
  readonly url: string;
  readonly taskType: string;
  readonly taskUUID: string;
  /** The body, as sent (the flat item, JSON). */
  readonly body: string;
  /** `pending` while attempts remain; `delivered` once answered 2xx; `failed` after the last attempt; `cancelled` by `close()`. */
  readonly state: 'pending' | 'delivered' | 'failed' | 'cancelled';
  /** Each attempt's outcome, oldest first. */
  readonly attempts: readonly WebhookAttempt[];
}

/** The webhook side of a running simulator, for tests' assertions. */
export interface SimulatorWebhooks {
  /** The most recent deliveries (at most 1000), in the order their first attempt was made. */
  deliveries(): WebhookDelivery[];
  /** Resolves once no delivery is pending (at once when none is): each was delivered, given up or cancelled. */
  idle(): Promise<void>;
}

/** The sender a simulator owns. */
export interface WebhookSender extends SimulatorWebhooks {
  /** POSTs one item to `url`, retrying as configured. */
  send(url: string, item: Readonly<Record<string, unknown>> & { readonly taskType?: string; readonly taskUUID?: string }): void;
  /** Cancels every pending delivery: in-flight requests are aborted, retry timers cleared, sockets closed. */
  close(): void;
}

const MAX_RECORDS = 1000;

/** Options of {@link createWebhookSender}. */
export interface WebhookSenderOptions {
  readonly options: ResolvedWebhookOptions;
  /** Retry waits and attempt timeouts run on these (the simulator's tracked timers). */
  readonly timers: Timers;
  readonly log: (line: string) => void;
  /** Jitter draws. Default `Math.random`. */
  readonly random?: () => number;
}

interface Pending {
  readonly url: URL;
  readonly record: { -readonly [K in keyof WebhookDelivery]: WebhookDelivery[K] } & { attempts: WebhookAttempt[] };
  request: ClientRequest | undefined;
  timer: ReturnType<Timers['after']> | undefined;
}

/** Creates the sender; one per simulator. */
export const createWebhookSender = ({ options, timers, log, random = Math.random }: WebhookSenderOptions): WebhookSender => {
  // Own agents, so close() can end their kept-alive sockets; no socket outlives the simulator.
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  const records: WebhookDelivery[] = [];
  const pending = new Set<Pending>();
  let waiters: (() => void)[] = [];
  let closed = false;

  const settle = (delivery: Pending, state: 'delivered' | 'failed' | 'cancelled') => {
    delivery.record.state = state;
    delivery.request = undefined;
    if (delivery.timer !== undefined) timers.cancel(delivery.timer);
    delivery.timer = undefined;
    pending.delete(delivery);
    if (pending.size > 0) return;
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };

  const attempt = (delivery: Pending) => {
    const { url, record } = delivery;
    let done = false;
    const outcome = (result: WebhookAttempt) => {
      if (done || closed) return;
      done = true;
      if (delivery.timer !== undefined) timers.cancel(delivery.timer);
      delivery.timer = undefined;
      delivery.request = undefined;
      record.attempts.push(result);
      if (typeof result === 'number' && result >= 200 && result < 300) return settle(delivery, 'delivered');
      const made = record.attempts.length;
      if (made >= options.attempts) {
        log(`webhook ${record.taskType} ${record.taskUUID} to ${url.origin}: gave up after ${made} attempts (last: ${result})`);
        return settle(delivery, 'failed');
      }
      delivery.timer = timers.after(retryDelay(made, options, random()), () => {
        delivery.timer = undefined;
        attempt(delivery);
      });
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, {
      method: 'POST',
      agent: url.protocol === 'https:' ? agents.https : agents.http,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(record.body), 'user-agent': 'runware-rx-simulator' },
    });
    delivery.request = request;
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
    request.end(record.body);
  };

  return {
    send(target, item) {
      if (closed) return;
      const record: Pending['record'] = {
        url: target,
        taskType: typeof item.taskType === 'string' ? item.taskType : '',
        taskUUID: typeof item.taskUUID === 'string' ? item.taskUUID : '',
        body: writeExactJson(item),
        state: 'pending',
        attempts: [],
      };
      records.push(record);
      if (records.length > MAX_RECORDS) records.splice(0, records.length - MAX_RECORDS);
      const delivery: Pending = { url: new URL(target), record, request: undefined, timer: undefined };
      pending.add(delivery);
      attempt(delivery);
    },
    deliveries: () => records.map((record) => ({ ...record, attempts: [...record.attempts] })),
    idle: () => (pending.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    close() {
      closed = true;
      for (const delivery of [...pending]) {
        delivery.request?.destroy();
        settle(delivery, 'cancelled');
      }
      agents.http.destroy();
      agents.https.destroy();
    },
  };
};
