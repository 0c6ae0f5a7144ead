import type { BaseIssue } from 'valibot';
import { getDotPath } from 'valibot';
import { ERROR_CLASS, RunwareError } from './runware-error.js';

/** One problem found in a request, with the dotted path of the parameter at fault. */
export interface ValidationIssue {
  /** Dotted path of the parameter, e.g. `width` or `lora.0.weight`; empty for the whole request. */
  readonly path: string;
  /** What is wrong with it, in words that name it: `width must be an integer from 64 to 4096 (got 5000)`. */
  readonly message: string;
}

/**
 * A request refused before anything was sent: `code` is `validation`, `parameter` names the
 * first parameter at fault and `issues` lists every problem found.
 */
export class ValidationError extends RunwareError {
  /** @internal */
  static override readonly [ERROR_CLASS]: string = 'ValidationError';
  override readonly name: string = 'ValidationError';
  readonly issues: readonly ValidationIssue[];

  /**
   * @param subject What was checked, for the message: `imageInference request`, `client options`.
   * @param issues Every problem found.
   * @param taskType The task type of a refused request, if it is one.
   */
  constructor(subject: string, issues: readonly ValidationIssue[], taskType?: string) {
    const first = issues[0];
    // Messages name their field already ("width must be ..."); older ones get it put in front.
    const summary = issues.map(({ path, message }) => (path === '' || message.startsWith(path) || message.includes(`"${path}"`) ? message : `${path}: ${message}`));
    super({
      code: 'validation',
      message: `Invalid ${subject}: ${summary.join('; ')}`,
      retryable: false,
      taskType,
      parameter: first?.path || undefined,
      sent: false,
    });
    this.issues = issues;
  }
}

/**
 * Turns valibot's issues into a {@link ValidationError} naming each parameter by its path.
 *
 * @param subject What was being validated, for the message.
 * @param issues The issues.
 * @returns The error.
 */
export function validationErrorFrom(subject: string, issues: readonly BaseIssue<unknown>[]): ValidationError {
  return new ValidationError(
    subject,
    issues.map((issue) => ({ path: getDotPath(issue) ?? '', message: issue.message })),
  );
}
