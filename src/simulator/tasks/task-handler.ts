import type { SimulatorEnv } from '../env.js';
import type { Session } from '../session.js';
import type { OutboundFrame, TaskObject } from '../types.js';

/** What a handler gets besides the raw task: its checked identity and where to send replies. */
export interface TaskContext {
  readonly env: SimulatorEnv;
  /** The session that submitted the task; results follow it across reconnects. */
  readonly session: Session;
  readonly taskType: string;
  /** Already checked to be a UUID v4. */
  readonly taskUUID: string;
  /** Queues result, ack or error items for the session (see `Delivery.push`). */
  push(frame: OutboundFrame): void;
}

/** One task type's behaviour: validate like the API, then answer sync, async, or both. */
export interface TaskHandler {
  /**
   * True when the task's taskUUID names a new task (so reusing a known one is a conflict);
   * false for lookups such as `getResponse`, whose taskUUID names an existing task.
   */
  readonly createsTask: boolean;
  run(task: TaskObject, context: TaskContext): void;
}
