import type { DataItem, ErrorItem, InboundFrame, OutboundTask } from '../protocol/frames.js';

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
  return JSON.stringify(tasks);
}

/**
 * Decodes and checks one inbound message. Tolerates every variant the server is known to send:
 * `error` instead of `errors`, one object instead of an array, `data` and `errors` in one frame,
 * the legacy `{ error: true, errorId, errorMessage }` shape, and `parameter` as an array.
 * This runs for every frame, so the envelope is checked by hand instead of copying each item
 * through a schema.
 *
 * @param text The message text.
 * @returns The normalised frame, or the reason it was rejected.
 */
export function decodeFrame(text: string): DecodeResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (!isObject(parsed)) return { ok: false, reason: 'not a JSON object' };
  const data = toArray(parsed['data']);
  if (data === undefined || !data.every(isDataItem)) return { ok: false, reason: 'malformed data' };
  const errors = decodeErrors(parsed);
  if (errors === undefined) return { ok: false, reason: 'malformed errors' };
  if (!('data' in parsed) && !('errors' in parsed) && !('error' in parsed)) {
    return { ok: false, reason: 'neither data nor errors' };
  }
  return { ok: true, frame: { data, errors } };
}

function toArray(value: unknown): unknown[] | undefined {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  return isObject(value) ? [value] : undefined;
}

function isDataItem(value: unknown): value is DataItem {
  return (
    isObject(value) &&
    typeof value['taskType'] === 'string' &&
    (value['taskUUID'] === undefined || typeof value['taskUUID'] === 'string')
  );
}

function decodeErrors(frame: Json): ErrorItem[] | undefined {
  if (frame['error'] === true) return [legacyError(frame)];
  const raw = toArray(frame['errors'] ?? frame['error']);
  if (raw === undefined) return undefined;
  const items: ErrorItem[] = [];
  for (const value of raw) {
    if (!isObject(value)) return undefined;
    items.push(normaliseError(value));
  }
  return items;
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
