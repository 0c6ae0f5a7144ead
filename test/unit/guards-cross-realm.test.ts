import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { hasErrorCode, isRunwareError } from '../../src/errors/guards.js';

describe('isRunwareError', () => {
  it('matches a RunwareError-shaped error created in another realm', () => {
    const foreign: unknown = vm.runInNewContext(`
      (() => {
        class RunwareError extends Error {}
        const error = new RunwareError('lost');
        error.name = 'RunwareError';
        error.code = 'connection';
        error.retryable = true;
        return error;
      })()
    `);
    expect(isRunwareError(foreign)).toBe(true);
    expect(hasErrorCode(foreign, 'connection')).toBe(true);
  });

  it('still rejects a plain error from another realm', () => {
    expect(isRunwareError(vm.runInNewContext('new Error("plain")'))).toBe(false);
  });
});
