import { encodeJson } from '../transport/codec.js';
import { redactFrameText } from '../util/redact.js';

/** A frame for a browser: results and errors, as the API sends them. */
export interface DownstreamFrame {
  readonly data?: readonly unknown[];
  readonly errors?: readonly unknown[];
  /** The singular spelling, sent beside `errors` on an authentication failure (§10.1). */
  readonly error?: unknown;
}

/**
 * The one way a frame becomes text for a browser: serialised (an integer past 2^53 − 1, read as a
 * BigInt, as the digits Runware wrote), then the real key redacted
 * structurally (every string of the parsed frame, in whatever spelling JSON gives it), so that
 * an upstream that echoes the key in an error, or an item that quotes it, cannot hand it on.
 *
 * @param frame The frame.
 * @param apiKey The real key.
 * @returns The text to send.
 */
export function encodeDownstream(frame: DownstreamFrame, apiKey: string): string {
  return redactFrameText(encodeJson(frame), apiKey);
}
