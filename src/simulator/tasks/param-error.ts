import type { ParamProblem } from '../errors.js';
import { errorItem } from '../errors.js';
import type { TaskObject } from '../types.js';
import type { TaskContext } from './task-handler.js';
import { deliveryURLProblem } from '../delivery-url.js';

/** Thrown by a parameter reader when a task parameter is missing or invalid; carries the API fields. */
export class ParamError extends Error implements ParamProblem {
  override readonly name = 'ParamError';
  readonly code: string;
  readonly parameter: string;
  readonly type: string;
  readonly allowedValues?: readonly unknown[];

  constructor(problem: ParamProblem) {
    super(problem.message);
    this.code = problem.code;
    this.parameter = problem.parameter;
    this.type = problem.type;
    if (problem.allowedValues !== undefined) this.allowedValues = problem.allowedValues;
  }
}

/** What {@link readOrReject} returns for a task it answered with an error. */
export const REJECTED: unique symbol = Symbol('rejected');

/**
 * Reads a task's parameters, or answers the task with the API-shaped error of the first bad one.
 *
 * @param read The task type's parameter reader (throws {@link ParamError}); it gets the task's
 *   context for the rules that depend on options and state (model check, media inputs).
 * @param task The task object.
 * @param context Where to answer.
 * @returns The parameters, or {@link REJECTED} when the task was rejected.
 */
export function readOrReject<P>(
  read: (task: TaskObject, context: TaskContext) => P,
  task: TaskObject,
  context: TaskContext,
): P | typeof REJECTED {
  try {
    const params = read(task, context);
    // Checked here, once for every task type, after the task's own parameters.
    const delivery = deliveryURLProblem(task);
    if (delivery !== undefined) throw new ParamError(delivery);
    return params;
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    context.push({ errors: [errorItem(context, error)] });
    return REJECTED;
  }
}
