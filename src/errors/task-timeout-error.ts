import { RunwareError } from './runware-error.js';

/** Which wait ran out: the whole task, an async acknowledgement, one poll, or authentication. */
export type TimeoutPhase = 'total' | 'ack' | 'poll' | 'auth';

/** A deadline passed; `code` is `timeout`. The server may still complete (and bill) the task. */
export class TaskTimeoutError extends RunwareError {
  override readonly name: string = 'TaskTimeoutError';
  readonly phase: TimeoutPhase;
  readonly timeoutMs: number;

  constructor(phase: TimeoutPhase, timeoutMs: number, task: { taskUUID?: string; taskType?: string } = {}) {
    super({
      code: 'timeout',
      message: timeoutMessage(phase, timeoutMs),
      retryable: phase !== 'total',
      taskUUID: task.taskUUID,
      taskType: task.taskType,
    });
    this.phase = phase;
    this.timeoutMs = timeoutMs;
  }
}

function timeoutMessage(phase: TimeoutPhase, ms: number): string {
  switch (phase) {
    case 'total':
      return `The task did not finish within ${ms} ms; the server may still complete and bill it.`;
    case 'ack':
      return `The server did not acknowledge the task within ${ms} ms.`;
    case 'poll':
      return `The server did not answer a status poll within ${ms} ms.`;
    case 'auth':
      return `The server did not answer authentication within ${ms} ms.`;
  }
}
