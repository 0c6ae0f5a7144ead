/** Words servers use in an item's `status` for one not finished yet (only `processing` is documented). */
const RUNNING = new Set(['processing', 'pending', 'queued', 'scheduled', 'waiting', 'running']);

/**
 * Whether an item's `status` says it is still running.
 *
 * @param status The item's `status`, if any.
 * @returns `true` for `processing` and the other words servers use for it.
 */
export function isRunningStatus(status: string | undefined): boolean {
  return status !== undefined && RUNNING.has(status);
}

/**
 * Statuses of a generation that will never finish. Only `error` is documented; `failed` and a
 * cancelled one (the API has a `taskCancelled` code) are read the same, since taking one for a
 * running generation would poll it, or hold its relay slot, for minutes.
 */
const FAILED = new Set(['error', 'failed', 'cancelled', 'canceled']);
const CANCELLED = new Set(['cancelled', 'canceled']);

/**
 * Whether an item's `status` says its generation failed (or was cancelled).
 *
 * @param status The item's `status`, if any.
 * @returns `true` for `error` and the other words servers use for it.
 */
export function isFailedStatus(status: unknown): boolean {
  return typeof status === 'string' && FAILED.has(status);
}

/**
 * Whether an item's `status` says its generation was cancelled at the server.
 *
 * @param status The item's `status`, if any.
 * @returns `true` for `cancelled` and `canceled`.
 */
export function isCancelledStatus(status: unknown): boolean {
  return typeof status === 'string' && CANCELLED.has(status);
}
