/*
 * runware-rx/tasks: the task definitions, for `createRunwareClient({ tasks })` (a client, and a
 * bundle, with only the tasks a page uses); their parameter schemas (`imageInference.params`,
 * to check a form early); and `defineTask` with its result readers, for task types this version
 * does not know yet.
 */
export * from './catalog.js';
export { allTasks } from './registry.js';
export { defineTask } from './define-task.js';
export { fieldResult, outputUUID, readResults } from './result-readers.js';

export type { AllTasks } from './registry.js';
export type { AnyTask, Delivery, ParamsOf, PartialOf, ResultOf, ResultReader, TaskDefinition, TaskSchema } from './define-task.js';
