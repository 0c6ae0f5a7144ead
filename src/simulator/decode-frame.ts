import { invalidFrame } from './errors.js';
import { parseExactJson } from './exact-json.js';
import type { ErrorItem } from './types.js';

/** Inbound frame contents: the array elements (each still unchecked), or the error to reply with. */
export type DecodedFrame = { readonly ok: true; readonly tasks: readonly unknown[] } | { readonly ok: false; readonly error: ErrorItem };

/**
 * Parses one inbound message. The API takes only a JSON array of tasks; anything else gets an
 * error item without a taskUUID (there is no task to name) and the socket stays open. An integer
 * past 2^53 − 1 (a seed) is read exactly, as a BigInt (exact-json.ts).
 */
export const decodeFrame = (message: string): DecodedFrame => {
  let parsed: unknown;
  try {
    parsed = parseExactJson(message);
  } catch {
    return { ok: false, error: invalidFrame('invalidJSON', 'The message is not valid JSON. Send a JSON array of task objects.') };
  }
  if (!Array.isArray(parsed)) {
    return {
      ok: false,
      error: invalidFrame('invalidPayload', 'The message must be a JSON array of task objects, e.g. [{"taskType":"ping","ping":true}].'),
    };
  }
  return { ok: true, tasks: parsed };
};
