import { describe, expect, it } from 'vitest';
import { hasErrorCode, isRunwareError } from '../../src/errors/guards.js';
import { RunwareError } from '../../src/errors/runware-error.js';
import { TaskTimeoutError } from '../../src/errors/task-timeout-error.js';
import { ValidationError } from '../../src/errors/validation-error.js';

/** What a RunwareError from another copy of the package looks like: same shape, other class. */
function lookalike(code: unknown, retryable: unknown): Error {
  class RunwareError extends Error {
    override readonly name = 'RunwareError';
    constructor(
      readonly code: unknown,
      readonly retryable: unknown,
    ) {
      super('from another copy');
    }
  }
  return new RunwareError(code, retryable);
}

describe('isRunwareError', () => {
  it('matches RunwareError and its subclasses', () => {
    expect(isRunwareError(new RunwareError({ code: 'auth', message: 'm' }))).toBe(true);
    expect(isRunwareError(new TaskTimeoutError('ack', 1000))).toBe(true);
    expect(isRunwareError(new ValidationError('imageInference', []))).toBe(true);
  });

  it('matches an error of the same shape from another copy of the package', () => {
    expect(isRunwareError(lookalike('connection', true))).toBe(true);
  });

  it('rejects errors without a string code and a boolean retryable', () => {
    expect(isRunwareError(new Error('plain'))).toBe(false);
    expect(isRunwareError(lookalike('connection', 'yes'))).toBe(false);
    expect(isRunwareError(lookalike(42, true))).toBe(false);
    expect(isRunwareError(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }))).toBe(false);
  });

  it('rejects values that are not errors, even of the right shape', () => {
    for (const value of [undefined, null, 'RunwareError', 42, { code: 'connection', retryable: true, message: 'm', name: 'RunwareError' }]) {
      expect(isRunwareError(value)).toBe(false);
    }
  });
});

describe('hasErrorCode', () => {
  it('matches a RunwareError of the given category only', () => {
    const error = new RunwareError({ code: 'rateLimit', message: 'slow down' });
    expect(hasErrorCode(error, 'rateLimit')).toBe(true);
    expect(hasErrorCode(error, 'quota')).toBe(false);
    expect(hasErrorCode(new TaskTimeoutError('poll', 1), 'timeout')).toBe(true);
    expect(hasErrorCode(lookalike('auth', false), 'auth')).toBe(true);
    expect(hasErrorCode(new Error('auth'), 'auth')).toBe(false);
  });
});
