/**
 * How the simulator retries a webhook (protocol §10.5): an attempt not answered 2xx within
 * `timeoutMs` is tried again after a back-off, 250 ms doubling to 8 s with jitter, at most
 * `attempts` times in all; the options, their defaults and the schedule.
 */

/** How the simulator delivers webhooks; every field optional. */
export interface WebhookOptions {
  /** An attempt that has no answer after this long is abandoned (and tried again). Default 5000 ms, as the API. */
  timeoutMs?: number;
  /** Attempts per item, the first included; past them the item is given up. Default 8. */
  attempts?: number;
  /** The wait before the first retry; it doubles for each further one. Default 250 ms. */
  initialDelayMs?: number;
  /** The longest wait between attempts. Default 8000 ms. */
  maxDelayMs?: number;
}

/** {@link WebhookOptions} with the defaults applied. */
export type ResolvedWebhookOptions = Readonly<Required<WebhookOptions>>;

const DEFAULTS: ResolvedWebhookOptions = { timeoutMs: 5000, attempts: 8, initialDelayMs: 250, maxDelayMs: 8000 };

const positive = (name: string, value: number, integer: boolean): number => {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new RangeError(`startSimulator: webhooks.${name} must be a ${integer ? 'positive integer' : 'number > 0'}, got ${value}`);
  }
  return value;
};

/** Applies the defaults and rejects nonsense, naming the option. */
export const resolveWebhookOptions = (options: WebhookOptions = {}): ResolvedWebhookOptions => {
  const { timeoutMs, attempts, initialDelayMs, maxDelayMs } = { ...DEFAULTS, ...options };
  return {
    timeoutMs: positive('timeoutMs', timeoutMs, false),
    attempts: positive('attempts', attempts, true),
    initialDelayMs: positive('initialDelayMs', initialDelayMs, false),
    maxDelayMs: positive('maxDelayMs', maxDelayMs, false),
  };
};

/**
 * The wait before retry `retry` (1 for the first): `initialDelayMs × 2^(retry−1)`, capped at
 * `maxDelayMs`, then a random share of its upper half taken off ("equal jitter": between half and
 * all of it), so that receivers failing together are not hit again together.
 *
 * @param retry Which retry, from 1.
 * @param options The schedule.
 * @param random A draw in [0, 1).
 * @returns The wait in ms.
 */
export const retryDelay = (retry: number, { initialDelayMs, maxDelayMs }: Pick<ResolvedWebhookOptions, 'initialDelayMs' | 'maxDelayMs'>, random: number): number => {
  const nominal = Math.min(initialDelayMs * 2 ** (retry - 1), maxDelayMs);
  return nominal / 2 + (nominal / 2) * (1 - random);
};
