import type { ParamProblem } from '../errors.js';

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
