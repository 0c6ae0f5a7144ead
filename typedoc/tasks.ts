/**
 * The task types: one definition each (its method names, wire `taskType`, parameter schema,
 * delivery and result rules) with its parameter and result types, for `createRunwareClient({
 * tasks })`, for checking a form with `imageInference.params`, and `defineTask` for task types this
 * version does not know yet.
 *
 * @module runware-rx/tasks
 */
export * from '../src/tasks/index.js';
