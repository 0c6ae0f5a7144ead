import type { ErrorItem } from '../protocol/frames.js';
import { classifyServerCode } from './classify-server-code.js';
import { RunwareError } from './runware-error.js';

const ENVELOPE_FIELDS = new Set(['code', 'message', 'parameter', 'taskUUID', 'taskType', 'status']);

/**
 * Turns a server error item into a {@link RunwareError}, keeping the raw code as `serverCode`
 * and the other fields (`allowedValues`, `documentation`, ...) as `details`.
 *
 * @param item The normalised error item.
 * @param context The task it belongs to, filling what the server left out.
 * @returns The typed error.
 */
export function fromErrorItem(item: ErrorItem, context: { taskUUID?: string; taskType?: string; sent?: boolean } = {}): RunwareError {
  const details: Record<string, unknown> = {};
  let hasDetails = false;
  for (const [key, value] of Object.entries(item)) {
    if (ENVELOPE_FIELDS.has(key)) continue;
    details[key] = value;
    hasDetails = true;
  }
  return new RunwareError({
    code: classifyServerCode(item.code),
    message: item.message,
    serverCode: item.code,
    parameter: item.parameter,
    taskUUID: item.taskUUID ?? context.taskUUID,
    taskType: context.taskType ?? item.taskType,
    details: hasDetails ? details : undefined,
    sent: context.sent,
  });
}
