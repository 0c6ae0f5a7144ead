import { fromErrorItem } from '../errors/from-error-item.js';
import { ProtocolError } from '../errors/protocol-error.js';
import type { RunwareError } from '../errors/runware-error.js';
import type { DataItem, ErrorItem } from '../protocol/frames.js';
import { parseExactJson } from '../protocol/exact-json.js';
import { isCancelledStatus, isFailedStatus, isRunningStatus } from '../protocol/item-status.js';
import { resultContent } from '../protocol/result-content.js';
import type { ResultOf, ResultReader } from '../tasks/define-task.js';
import { allTasks, type AllTasks } from '../tasks/registry.js';

/** The wire `taskType`s runware-rx knows (`imageInference`, `videoInference`, ...). */
export type KnownTaskType = AllTasks['taskType'];

/** What every item of a webhook carries. */
export interface WebhookItemBase {
  readonly taskUUID: string;
  /**
   * What tells this item apart from every other: the taskUUID and the output UUID (`imageUUID`,
   * `videoUUID`, ...), or, for an item without one (a text, an error), the taskUUID and what the
   * item says. Runware retries a webhook it thinks failed, so the same key arriving twice is the
   * same item twice (see `createWebhookInbox`).
   */
  readonly key: string;
}

/**
 * A finished result of a task type runware-rx knows, typed by its `taskType`: narrow on it
 * (`if (item.taskType === 'imageInference') item.result.imageURL`).
 */
export type WebhookResult = {
  readonly [T in KnownTaskType]: WebhookItemBase & {
    readonly type: 'result';
    readonly taskType: T;
    /** The item as Runware sent it. */
    readonly result: ResultOf<Extract<AllTasks, { readonly taskType: T }>>;
  };
}[KnownTaskType];

/** A failed result (or failed task): the server's error item as a runware-rx error. */
export interface WebhookFailure extends WebhookItemBase {
  readonly type: 'error';
  /** The task's type, when the error item names it. */
  readonly taskType: string | undefined;
  /** `code` is the stable category, `serverCode` the server's own; `sent` is `true`. */
  readonly error: RunwareError;
}

/**
 * An item runware-rx cannot type: of a task type it does not know, or one that is neither a
 * finished result nor an error (a `processing` status). Kept, so that nothing Runware sends is lost.
 */
export interface WebhookOther extends WebhookItemBase {
  readonly type: 'other';
  readonly taskType: string;
  readonly item: Readonly<Record<string, unknown>>;
}

/** One item a webhook delivered. */
export type WebhookItem = WebhookResult | WebhookFailure | WebhookOther;

type Reader = ResultReader<unknown, unknown>;

/** The result readers of each taskType (several definitions share one: image and video upscale). */
let readersByType: Map<string, Reader[]> | undefined;

const readersOf = (taskType: string): readonly Reader[] | undefined => {
  if (readersByType === undefined) {
    readersByType = new Map();
    for (const definition of allTasks) {
      const readers = readersByType.get(definition.taskType);
      if (readers === undefined) readersByType.set(definition.taskType, [definition.result]);
      else readers.push(definition.result);
    }
  }
  return readersByType.get(taskType);
};

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value);

const bad = (message: string, raw: unknown): ProtocolError => new ProtocolError(`Not a Runware webhook body: ${message}.`, raw);

const taskUUIDOf = (item: Readonly<Record<string, unknown>>, raw: unknown): string => {
  const { taskUUID } = item;
  if (typeof taskUUID !== 'string' || taskUUID.length === 0) throw bad('an item has no taskUUID', raw);
  return taskUUID;
};

/** An error item of either shape (protocol §5.5): flat `{code, message}`, or nested under `error`. */
const failureOf = (item: Readonly<Record<string, unknown>>, raw: unknown): WebhookFailure => {
  const taskUUID = taskUUIDOf(item, raw);
  const { error: nested, ...outer } = item;
  const fields = isObject(nested) ? { ...outer, ...nested } : item;
  // A cancelled generation says so by its status alone.
  const code = typeof fields['code'] === 'string' ? fields['code'] : isCancelledStatus(item['status']) ? 'taskCancelled' : undefined;
  if (code === undefined) throw bad('an error item has no code', raw);
  const message = typeof fields['message'] === 'string' ? fields['message'] : code;
  const errorItem: ErrorItem = { ...fields, code, message, taskUUID };
  const taskType = typeof item['taskType'] === 'string' ? item['taskType'] : undefined;
  return { type: 'error', taskType, taskUUID, key: `${taskUUID} ${resultContent(item)}`, error: fromErrorItem(errorItem, taskType === undefined ? { taskUUID, sent: true } : { taskUUID, taskType, sent: true }) };
};

const isErrorShaped = (item: Readonly<Record<string, unknown>>): boolean => {
  const { status } = item;
  if (isFailedStatus(status)) return true;
  return isObject(item['error']) || (typeof item['code'] === 'string' && typeof item['message'] === 'string');
};

/** One `data` item (or a flat body): a result, an error in the new SDKs' shape, or another item. */
const itemOf = (value: unknown, raw: unknown): WebhookItem => {
  if (!isObject(value)) throw bad('an item is not an object', raw);
  if (isErrorShaped(value)) return failureOf(value, raw);
  const taskUUID = taskUUIDOf(value, raw);
  const { taskType } = value;
  if (typeof taskType !== 'string') throw bad('an item has no taskType', raw);
  const status = typeof value['status'] === 'string' ? value['status'] : undefined;
  const item = value as DataItem;
  const readers = readersOf(taskType);
  if (readers !== undefined && !isRunningStatus(status)) {
    const finished = status === 'success' || status === 'completed' || readers.some((reader) => reader.isResult(item) && reader.isPartial?.(item) !== true);
    if (finished) {
      let outputKey: string | undefined;
      for (const reader of readers) outputKey ??= reader.key?.(item);
      // The mapped type pairs each taskType with its result; this item was recognised by that taskType's readers.
      return { type: 'result', taskType, taskUUID, key: `${taskUUID} ${outputKey ?? resultContent(item)}`, result: item } as unknown as WebhookResult;
    }
  }
  return { type: 'other', taskType, taskUUID, key: `${taskUUID} ${resultContent(item)}`, item };
};

const listOf = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : [value]);

const parsed = (body: unknown): unknown => {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) return body;
  const text = typeof body === 'string' ? body : new TextDecoder('utf-8', { fatal: false }).decode(body);
  try {
    // Read as the socket's frames are: a seed past 2^53 − 1 arrives as the BigInt of its digits.
    return parseExactJson(text);
  } catch {
    throw bad('it is not JSON', body);
  }
};

/**
 * Reads one webhook body into typed items. Runware POSTs one result per request, as the flat task
 * object (protocol §10.5); the `{ data: [...], errors: [...] }` envelope of the WebSocket is
 * accepted too, since the docs leave the envelope open (§5.7). Failed items, in either of the
 * API's error shapes, become {@link RunwareError}s; results are told apart by the output UUID the
 * task's definition reads (`imageUUID`, `videoUUID`, ...).
 *
 * @param body The request body: its text or bytes (JSON), or the value a framework already parsed.
 * @returns Its items, in the order they came (an envelope may hold none).
 * @throws ProtocolError (`code` `protocol`) when the body is not a webhook body: not JSON, not an
 *   object, an item without a taskUUID, a result without a taskType, an error without a code.
 *
 * @example
 * ```ts
 * app.post('/runware', express.json(), (request, response) => {
 *   const items = readWebhookBody(request.body); // throws on a body that is not Runware's
 *   response.sendStatus(204);
 *   for (const item of items) if (item.type === 'result' && item.taskType === 'imageInference') save(item.result.imageURL);
 * });
 * ```
 */
export function readWebhookBody(body: unknown): WebhookItem[] {
  const value = parsed(body);
  if (!isObject(value)) throw bad('it is not a JSON object', body);
  const { data, errors, error } = value;
  if (data === undefined && errors === undefined && error === undefined) return [itemOf(value, body)];
  if (value['taskUUID'] !== undefined && data === undefined && errors === undefined) return [itemOf(value, body)];
  const items: WebhookItem[] = [];
  if (data !== undefined && data !== null) for (const item of listOf(data)) items.push(itemOf(item, body));
  const failures = errors ?? error;
  if (failures !== undefined && failures !== null) {
    for (const item of listOf(failures)) {
      if (!isObject(item)) throw bad('an error item is not an object', body);
      items.push(failureOf(item, body));
    }
  }
  return items;
}
