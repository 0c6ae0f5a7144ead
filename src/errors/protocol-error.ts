import { ERROR_CLASS, RunwareError } from './runware-error.js';

/**
 * The server sent an item for a task that runware-rx cannot read (not an object, a `taskType`
 * that is not a string, a reader that failed on it): `code` is `protocol`, `raw` is the item as
 * it arrived. Only the task the item names fails; the rest of its frame is delivered.
 */
export class ProtocolError extends RunwareError {
  /** @internal */
  static override readonly [ERROR_CLASS]: string = 'ProtocolError';
  override readonly name: string = 'ProtocolError';
  /** The item as it arrived. */
  readonly raw: unknown;

  constructor(message: string, raw: unknown, task: { readonly taskUUID?: string | undefined; readonly cause?: unknown } = {}) {
    super({ code: 'protocol', message, retryable: false, taskUUID: task.taskUUID, sent: true, cause: task.cause });
    this.raw = raw;
  }
}
