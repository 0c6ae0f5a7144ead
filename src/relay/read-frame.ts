import { parseExactJson } from '../protocol/exact-json.js';
import type { RelayErrorItem } from './refusals.js';
import { invalidPayload } from './refusals.js';

/**
 * Reads a browser's frame: the JSON array of its tasks (integers past 2^53 as BigInts, so that
 * they go on as written), or the refusal that answers it whole (not JSON, or not an array).
 */
export function readFrame(text: string): unknown[] | RelayErrorItem {
  let parsed: unknown;
  try {
    parsed = parseExactJson(text);
  } catch {
    return invalidPayload('A frame must be a JSON array of task objects.');
  }
  return Array.isArray(parsed) ? (parsed as unknown[]) : invalidPayload('A frame must be a JSON array of task objects.');
}

/** The size in bytes of a message as `ws` hands it over. */
export function byteLengthOf(data: Buffer | ArrayBuffer | Buffer[]): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data.byteLength;
}

/** The text of a message as `ws` hands it over. */
export function textOf(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
