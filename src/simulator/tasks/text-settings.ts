import type { TaskObject } from '../types.js';
import { ParamError } from './param-error.js';
import { invalidParam, type ParamReader } from './params.js';

/** How a `textInference` is to be generated and delivered (protocol §4.5, §10.2, §10.4): its settings, read as the API names them. */

/** `sync`, `async`, or `stream` (Server-Sent Events over REST). */
export type TextDelivery = 'sync' | 'async' | 'stream';

/** The generation settings, nested under `settings` or (js-legacy) at the top level; a nested value wins. */
export const readGeneration = (read: ParamReader, nested: ParamReader, prefix: string) => {
  const pick = <T>(name: string, get: (reader: ParamReader, key: string) => T | undefined): T | undefined => get(nested, `${prefix}${name}`) ?? get(read, name);
  const maxTokens = pick('maxTokens', (reader, key) => reader.optionalInteger(key, { min: 1, max: 10_000_000 }));
  pick('temperature', (reader, key) => reader.optionalNumber(key, { min: 0, max: 2 }));
  pick('topP', (reader, key) => reader.optionalNumber(key, { min: 0, max: 1 }));
  pick('topK', (reader, key) => reader.optionalInteger(key, { min: 0, max: 100_000 }));
  pick('frequencyPenalty', (reader, key) => reader.optionalNumber(key, { min: -2, max: 2 }));
  pick('presencePenalty', (reader, key) => reader.optionalNumber(key, { min: -2, max: 2 }));
  const systemPrompt = pick('systemPrompt', optionalString);
  return { maxTokens, systemPrompt };
};

export const optionalString = (reader: ParamReader, key: string): string | undefined => {
  try {
    return reader.string(key, { min: 0, max: 1_000_000 });
  } catch (error) {
    if (error instanceof ParamError && error.code.startsWith('missing')) return undefined;
    throw error;
  }
};

export const readStops = (value: unknown, name: string): string[] => {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((stop) => typeof stop === 'string')) throw invalidParam(name, 'array', 'a list of strings', value);
  return value;
};

/**
 * `deliveryMethod`: `sync` (default) or `async`; `stream` where the transport can stream (a REST
 * request of this task alone, protocol §10.4), and then with one result only.
 */
export const readTextDelivery = (read: ParamReader, task: TaskObject, canStream: boolean): TextDelivery => {
  if (!canStream && typeof task['deliveryMethod'] === 'string' && task['deliveryMethod'].toLowerCase() === 'stream') {
    throw new ParamError({
      code: 'unsupportedDeliveryMethod',
      message: 'Invalid value for deliveryMethod parameter. "stream" is answered over REST only (POST /v1 with this task alone in the array); use "sync" or "async" here.',
      parameter: 'deliveryMethod',
      type: 'string',
      allowedValues: ['sync', 'async'],
    });
  }
  const allowed = canStream ? (['sync', 'async', 'stream'] as const) : (['sync', 'async'] as const);
  const method = read.optionalChoice('deliveryMethod', allowed, 'unsupportedDeliveryMethod') ?? 'sync';
  if (method === 'stream' && task['numberResults'] !== undefined && task['numberResults'] !== 1) {
    throw invalidParam('numberResults', 'integer', '1 when streaming (deliveryMethod "stream")', task['numberResults']);
  }
  return method;
};
