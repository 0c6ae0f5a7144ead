import { ERROR_CLASS, RunwareError } from './runware-error.js';

/**
 * Which wait ran out: the whole task, the acknowledgement of a polled task, the answer to a
 * pushed one (its first result, or the next one), one poll, or authentication.
 */
export type TimeoutPhase = 'total' | 'ack' | 'answer' | 'poll' | 'auth';

/** A deadline passed; `code` is `timeout`. The server may still complete (and bill) the task. */
export class TaskTimeoutError extends RunwareError {
  /** @internal */
  static override readonly [ERROR_CLASS]: string = 'TaskTimeoutError';
  override readonly name: string = 'TaskTimeoutError';
  readonly phase: TimeoutPhase;
  readonly timeoutMs: number;

  constructor(
    phase: TimeoutPhase,
    timeoutMs: number,
    task: { readonly taskUUID?: string | undefined; readonly taskType?: string | undefined; readonly sent?: boolean | undefined } = {},
  ) {
    super({
      code: 'timeout',
      message: timeoutMessage(phase, timeoutMs, task.sent),
      retryable: phase !== 'total',
      taskUUID: task.taskUUID,
      taskType: task.taskType,
      sent: task.sent,
    });
    this.phase = phase;
    this.timeoutMs = timeoutMs;
  }
}

function timeoutMessage(phase: TimeoutPhase, ms: number, sent: boolean | undefined): string {
  switch (phase) {
    case 'total':
      // A task still waiting to go out (its media uploading, the rate gate shut) was never billed.
      return sent === false
        ? `The task did not finish within ${ms} ms; it was never sent, so nothing was billed.`
        : `The task did not finish within ${ms} ms; the server may still complete and bill it.`;
    case 'ack':
      return `The server did not acknowledge the task within ${ms} ms.`;
    case 'answer':
      return `The server sent nothing for the task within ${ms} ms.`;
    case 'poll':
      return `The server did not answer a status poll within ${ms} ms.`;
    case 'auth':
      return `The server did not answer authentication within ${ms} ms.`;
  }
}
