import type { OutboundFrame } from '../types.js';
import type { TaskContext } from './task-handler.js';

/**
 * Acknowledges an accepted async task with the bare `{ taskType, taskUUID }` item (protocol §5.2).
 * The `acknowledge` hook may delay or swallow it (fault injection); the task runs regardless.
 */
export const acknowledge = (context: TaskContext): void => {
  const ack = { data: [{ taskType: context.taskType, taskUUID: context.taskUUID }] };
  // The ack is all an async task's submitter waits for: a REST reply ends with it.
  const send = (frame: OutboundFrame) => {
    context.push(frame);
    context.answered();
  };
  const hook = context.env.hooks.acknowledge;
  if (hook) hook(context, ack, send);
  else send(ack);
};
