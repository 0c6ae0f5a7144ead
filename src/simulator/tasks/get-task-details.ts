import { errorItem } from '../errors.js';
import { describeTask } from './get-response.js';
import { defineHandler } from './task-handler.js';

/**
 * `getTaskDetails`: for a task the simulator remembers (accepted in the last ten minutes or so),
 * `{ taskType: "getTaskDetails", taskUUID, request: [the task as received], response: { data?, errors? } }`
 * (protocol §10.2: the object form), the response as getResponse would give it now. Sent under
 * the looked-up task's taskUUID, so it creates no task. A task never seen (or rejected, or
 * forgotten) is `taskNotFound`.
 */
export const getTaskDetails = defineHandler({
  createsTask: false,
  parse: () => undefined,
  price: () => 0,
  run(_params, context) {
    const { env, taskType, taskUUID, push } = context;
    const record = env.tasks.get(taskUUID);
    if (record === undefined) {
      push({ errors: [errorItem(context, { code: 'taskNotFound', message: 'No task found with this taskUUID. It may never have been submitted, or it has expired.', parameter: 'taskUUID', type: 'string' })] });
      return;
    }
    const response = describeTask(record, env.now(), env.options.progress, env.options.failureShape);
    push({ data: [{ taskType, taskUUID, request: [record.request], response }] });
  },
});
