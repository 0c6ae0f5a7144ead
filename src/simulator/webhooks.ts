import { writeExactJson } from './exact-json.js';
import { createHttpSender, type DeliveryAttempt, type DeliveryRecord } from './http-sender.js';
import type { Timers } from './timers.js';
import type { ResolvedWebhookOptions } from './webhook-options.js';

/**
 * Webhooks (protocol §5.7, §10.5): a task with `webhookURL` has each of its result items POSTed
 * there as JSON, one POST per item, the body the flat item, retried as http-sender.ts retries
 * every delivery.
 */

/** What became of one attempt: the HTTP status it was answered with, or why it had none. */
export type WebhookAttempt = DeliveryAttempt;

/** One item the simulator POSTs (or posted) to a task's `webhookURL`. */
export interface WebhookDelivery extends DeliveryRecord {
  /** The body, as sent (the flat item, JSON). */
  readonly body: string;
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

/** Options of {@link createWebhookSender}. */
export interface WebhookSenderOptions {
  readonly options: ResolvedWebhookOptions;
  /** Retry waits and attempt timeouts run on these (the simulator's tracked timers). */
  readonly timers: Timers;
  readonly log: (line: string) => void;
  /** Jitter draws. Default `Math.random`. */
  readonly random?: () => number;
}

/** Creates the sender; one per simulator. */
export const createWebhookSender = (options: WebhookSenderOptions): WebhookSender => {
  const sender = createHttpSender<{ readonly body: string }>({ ...options, kind: 'webhook' });
  return {
    send(url, item) {
      const body = writeExactJson(item);
      const task = { taskType: typeof item.taskType === 'string' ? item.taskType : '', taskUUID: typeof item.taskUUID === 'string' ? item.taskUUID : '' };
      sender.send(url, { method: 'POST', contentType: 'application/json', body }, task, { body });
    },
    deliveries: sender.deliveries,
    idle: sender.idle,
    close: sender.close,
  };
};
