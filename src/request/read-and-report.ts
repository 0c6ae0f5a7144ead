import type { DataItem, ErrorItem } from '../protocol/frames.js';
import type { RateGate } from './rate-gate.js';
import type { ReadContext, ReplyReading } from './read-reply.js';
import { readItems } from './read-reply.js';

/**
 * Reads a reply and tells the client's rate gate whether the server is rate limiting.
 *
 * @param gate The rate gate.
 * @param data The data items a frame carried for the task.
 * @param errors The error items it carried for the task.
 * @param context The task.
 * @returns The reading.
 */
export function readAndReport(gate: RateGate, data: readonly DataItem[], errors: readonly ErrorItem[], context: ReadContext): ReplyReading {
  const reading = readItems(data, errors, context);
  if (reading.taskError?.code === 'rateLimit') gate.limited();
  else gate.passed();
  return reading;
}
