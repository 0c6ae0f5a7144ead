import type { DataItem, ErrorItem, InboundFrame } from '../protocol/frames.js';
import { redactValue } from '../util/redact.js';

/**
 * Whether a reply's items could carry an echo of the key into a `RunwareError`: only errors and
 * failed items become one. Scanning every item (megabytes of results) would cost more than it
 * could protect.
 *
 * @param data The reply's data items.
 * @param errors Its error items.
 * @returns `true` when there is an error or a failed item to clean.
 */
export function mayEchoKey(data: readonly DataItem[], errors: readonly ErrorItem[]): boolean {
  return errors.length > 0 || data.some(failed);
}

/**
 * A reply without any echo of the key in its errors and failed items, for every line a server's
 * answers come by (the socket's frames, the HTTP line's events and JSON answers): a server that
 * quotes the key in an error must not carry it into the error a caller sees.
 *
 * @param frame The reply as read.
 * @param apiKey The key it may echo.
 * @returns The same reply when it has nothing to clean, otherwise a cleaned copy.
 */
export function withoutKey(frame: InboundFrame, apiKey: string): InboundFrame {
  if (!mayEchoKey(frame.data, frame.errors)) return frame;
  const anyFailed = frame.data.some(failed);
  return {
    data: anyFailed ? frame.data.map((item) => (failed(item) ? redactValue(item, apiKey) : item)) : frame.data,
    errors: redactValue(frame.errors, apiKey),
    malformed: frame.malformed,
  };
}

const failed = (item: DataItem): boolean => item.status === 'error';
