import type { TaskContext } from './task-handler.js';

/**
 * Acknowledges an accepted async task with the bare `{ taskType, taskUUID }` item (protocol §5.2).
 * The `acknowledge` hook may delay or swallow it (fault injection); the task runs regardless.
 */
export const acknowledge = (context: TaskContext): void => {
  const ack = { data: [{ taskType: context.taskType, taskUUID: context.taskUUID }] };
  const hook = context.env.hooks.acknowledge;
  if (hook) hook(context, ack);
  else context.push(ack);
};
