/** A `Retry-After` as HTTP spells it (RFC 9110): delay-seconds, or an IMF-fixdate. */
const RETRY_AFTER = /^(?:(\d{1,9})|[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT)$/;

/**
 * How long a `Retry-After` asks the client to stay away, in ms: its seconds, or the time until its
 * date. What the header may say is read in one place, for the client (which waits it out) and for
 * the relay (which passes on only a well-formed one).
 *
 * @param header The header's value, if any.
 * @param now The time now, in ms since the epoch, for a date.
 * @returns The wait (0 for a date past), or `undefined` when the header is absent or not well formed.
 */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  if (header === undefined || header === null) return undefined;
  const match = RETRY_AFTER.exec(header.trim());
  if (match === null) return undefined;
  if (match[1] !== undefined) return Number(match[1]) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
