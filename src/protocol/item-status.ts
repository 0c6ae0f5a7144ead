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
