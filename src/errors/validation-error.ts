import { RunwareError } from './runware-error.js';

/** One problem found in a request, with the dotted path of the parameter at fault. */
export interface ValidationIssue {
  /** Dotted path of the parameter, e.g. `width` or `lora.0.weight`; empty for the whole request. */
  readonly path: string;
  /** What is wrong with it. */
  readonly message: string;
}

/**
 * A request refused before anything was sent: `code` is `validation`, `parameter` names the
 * first parameter at fault and `issues` lists every problem found.
 */
export class ValidationError extends RunwareError {
  override readonly name: string = 'ValidationError';
  readonly issues: readonly ValidationIssue[];

  constructor(taskType: string, issues: readonly ValidationIssue[]) {
    const first = issues[0];
    const summary = issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message));
    super({
      code: 'validation',
      message: `Invalid ${taskType} request: ${summary.join('; ')}`,
      retryable: false,
      taskType,
      parameter: first?.path || undefined,
    });
    this.issues = issues;
  }
}
