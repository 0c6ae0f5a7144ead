import { parseExactJson } from '../protocol/exact-json.js';
import type { DataItem, ErrorItem, InboundFrame, MalformedItem, OutboundTask } from '../protocol/frames.js';

/** The outcome of decoding one inbound message: a frame, or why it is not one. */
export type DecodeResult =
  | { readonly ok: true; readonly frame: InboundFrame }
  | { readonly ok: false; readonly reason: string };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Encodes tasks as one outbound frame: the protocol takes a JSON array of task objects.
 *
 * @param tasks The tasks to send together.
 * @returns The frame's text.
 */
export function encodeFrame(tasks: readonly OutboundTask[]): string {
  return encodeJson(tasks);
}

/**
 * Encodes one task as JSON text. A BigInt in it (a seed past 2^53 − 1, which a number cannot hold
 * exactly) is written as its digits, a JSON integer; `JSON.stringify` refuses one with a
 * TypeError, so only a task that holds one takes the slower writer.
 *
 * @param value A task, or a list of them: plain objects, lists and JSON values (the checked copy of a request).
 * @returns The JSON text.
 */
export function encodeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return writeExact(value);
  }
}

/** JSON text as `JSON.stringify` writes it, BigInts as their digits; a cycle is refused as it refuses one. */
function writeExact(value: unknown, ancestors: object[] = []): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (ancestors.includes(value)) throw new TypeError('Converting circular structure to JSON');
  ancestors.push(value);
  const parts: string[] = [];
  if (Array.isArray(value)) for (const item of value as unknown[]) parts.push(skipped(item) ? 'null' : writeExact(item, ancestors));
  else for (const [key, field] of Object.entries(value)) if (!skipped(field)) parts.push(`${JSON.stringify(key)}:${writeExact(field, ancestors)}`);
  ancestors.pop();
  return Array.isArray(value) ? `[${parts.join(',')}]` : `{${parts.join(',')}}`;
}

/** What `JSON.stringify` leaves out of an object (and writes as null in a list). */
const skipped = (value: unknown): boolean => value === undefined || typeof value === 'function' || typeof value === 'symbol';

/**
 * Decodes one inbound message, item by item: an item that cannot be read is set aside (with the
 * taskUUID it names, when that much is readable) and the rest of the frame is kept, so one bad
 * item fails at most its own task. Tolerates every variant the server is known to send: `error`
 * instead of `errors`, one object instead of an array, `data` and `errors` in one frame, the
 * legacy `{ error: true, errorId, errorMessage }` shape, and `parameter` as an array. An integer
 * past 2^53 − 1 (a seed) is read as a BigInt of its digits (see {@link parseExactJson}). This runs
 * for every frame, so the envelope is checked by hand instead of copying each item through a
 * schema.
 *
 * @param text The message text.
 * @returns The normalised frame, or the reason it is not one at all.
 */
export function decodeFrame(text: string): DecodeResult {
  let parsed: unknown;
  try {
    parsed = parseExactJson(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (!isObject(parsed)) return { ok: false, reason: 'not a JSON object' };
  if (!('data' in parsed) && !('errors' in parsed) && !('error' in parsed)) {
    return { ok: false, reason: 'neither data nor errors' };
  }
  const rawData = toArray(parsed['data']);
  const rawErrors = parsed['error'] === true ? [] : toArray(parsed['errors'] ?? parsed['error']);
  if (rawData === undefined) return { ok: false, reason: 'malformed data' };
  if (rawErrors === undefined) return { ok: false, reason: 'malformed errors' };
  let malformed: MalformedItem[] | undefined;
  // The common frame's items are all well formed: it is kept as it is, without copying.
  const data = rawData.every(isDataItem) ? rawData : rawData.filter((item): item is DataItem => {
    if (isDataItem(item)) return true;
    (malformed ??= []).push(malformedItem(item, 'a data item needs a string taskType and, if any, a string taskUUID'));
    return false;
  });
  const errors: ErrorItem[] = parsed['error'] === true ? [legacyError(parsed)] : [];
  for (const value of rawErrors) {
    if (isObject(value)) errors.push(normaliseError(value));
    else (malformed ??= []).push(malformedItem(value, 'an error item must be an object'));
  }
  return { ok: true, frame: malformed === undefined ? { data, errors } : { data, errors, malformed } };
}

function toArray(value: unknown): unknown[] | undefined {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value as unknown[];
  return isObject(value) ? [value] : undefined;
}

function isDataItem(value: unknown): value is DataItem {
  return (
    isObject(value) &&
    typeof value['taskType'] === 'string' &&
    (value['taskUUID'] === undefined || typeof value['taskUUID'] === 'string')
  );
}

function malformedItem(raw: unknown, reason: string): MalformedItem {
  const taskUUID = isObject(raw) ? raw['taskUUID'] : undefined;
  return typeof taskUUID === 'string' ? { taskUUID, reason, raw } : { reason, raw };
}

function normaliseError(value: Json): ErrorItem {
  const code = typeof value['code'] === 'string' ? value['code'] : 'unknownError';
  const message = typeof value['message'] === 'string' ? value['message'] : code;
  const rawParameter = value['parameter'];
  const parameter = Array.isArray(rawParameter) ? rawParameter.find((p) => typeof p === 'string') : rawParameter;
  const item: Record<string, unknown> = { ...value, code, message };
  if (typeof parameter === 'string') item['parameter'] = parameter;
  else delete item['parameter'];
  if (Array.isArray(rawParameter)) item['parameters'] = rawParameter;
  if (typeof item['taskUUID'] !== 'string') delete item['taskUUID'];
  return item as ErrorItem;
}

function legacyError(frame: Json): ErrorItem {
  const message = typeof frame['errorMessage'] === 'string' ? frame['errorMessage'] : 'Unknown error';
  // errorId 19 was the legacy spelling of an invalid API key.
  const code = frame['errorId'] === 19 ? 'invalidApiKey' : 'legacyError';
  return { code, message };
}
