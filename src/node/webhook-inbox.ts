import type { WebhookItem } from './webhook-body.js';

/** Options of {@link createWebhookInbox}. */
export interface WebhookInboxOptions {
  /**
   * How many keys are remembered; past it the oldest is forgotten. Runware retries an item for
   * well under a minute, so the default (10 000) covers far more than the retries of a busy
   * receiver.
   */
  readonly maxKeys?: number;
}

/** Remembers which items were seen, so that a retried POST is taken once. */
export interface WebhookInbox {
  /**
   * Whether the item is new: `true` the first time its `key` is offered (it is remembered), `false`
   * for a key seen before.
   */
  admit(item: WebhookItem): boolean;
  /** How many keys are remembered. */
  readonly size: number;
}

/**
 * A de-duplicating inbox for webhook items, keyed on taskUUID and output UUID (`item.key`).
 * Runware retries a POST it did not see answered 2xx in time, so the same item arriving twice is
 * normal. The inbox lives in memory: across restarts or several processes, keep `item.key` in
 * your own store (a unique index) instead.
 *
 * @param options Its bound.
 * @returns The inbox.
 *
 * @example
 * ```ts
 * const inbox = createWebhookInbox();
 * for (const item of readWebhookBody(body)) if (inbox.admit(item)) handle(item);
 * ```
 */
export function createWebhookInbox(options: WebhookInboxOptions = {}): WebhookInbox {
  const { maxKeys = 10_000 } = options;
  if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new RangeError(`createWebhookInbox: maxKeys must be a positive integer, got ${maxKeys}`);
  // A Set keeps insertion order: its first key is the oldest.
  const seen = new Set<string>();
  return {
    admit({ key }) {
      if (seen.has(key)) return false;
      seen.add(key);
      if (seen.size > maxKeys) seen.delete(seen.values().next().value!);
      return true;
    },
    get size() {
      return seen.size;
    },
  };
}
