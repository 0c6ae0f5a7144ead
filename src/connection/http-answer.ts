import type { DataItem, ErrorItem } from '../protocol/frames.js';
import { retryAfterMs } from '../protocol/retry-after.js';
import { decodeFrame } from '../transport/codec.js';

/** Which request an HTTP answer answers. */
export interface AnsweredRequest {
  readonly url: string;
  readonly taskUUID: string;
  readonly taskType: string;
}

/**
 * Reads an HTTP answer that is not an event stream (a refusal, a `getResponse`'s reply) as the
 * items of a frame: the Runware reply in its body, or, without one, a refusal named by its
 * status (`http429`, `http503`), which the rate gate and the retry rule read as the server's own.
 *
 * @param status The HTTP status.
 * @param text The body.
 * @param retryAfter The `Retry-After` header, if any.
 * @param request What was asked.
 * @param now The present time (scheduler time), for a `Retry-After` that is a date.
 * @returns The items, each error carrying the wait the server asked for as `retryAfterMs`.
 */
export function readHttpAnswer(status: number, text: string, retryAfter: string | undefined, request: AnsweredRequest, now: number): { data: readonly DataItem[]; errors: readonly ErrorItem[] } {
  const decoded = decodeFrame(text);
  const ok = status >= 200 && status < 300;
  // How long the server asked the client to stay away (429, 503), carried by the refusal
  // itself as `details.retryAfterMs`, which the engine's retry waits out (protocol §10.4).
  const wait = retryAfterMs(retryAfter, now);
  if (decoded.ok && (ok || decoded.frame.errors.length > 0)) {
    const { errors } = decoded.frame;
    return { data: decoded.frame.data, errors: wait === undefined ? errors : errors.map((error) => ({ ...error, retryAfterMs: wait })) };
  }
  const { url, taskUUID, taskType } = request;
  const refusal: ErrorItem = { code: `http${status}`, message: `${url} answered HTTP ${status} without a Runware error`, taskUUID, taskType };
  return { data: [], errors: [wait === undefined ? refusal : { ...refusal, retryAfterMs: wait }] };
}
