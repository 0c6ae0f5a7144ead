import { describe, expect, it } from 'vitest';
import { RunwareError } from '../../src/errors/runware-error.js';
import { TaskTimeoutError } from '../../src/errors/task-timeout-error.js';

describe('RunwareError', () => {
  it('has no optional field it was not given', () => {
    const error = new RunwareError({ code: 'connection', message: 'lost' });
    for (const field of ['taskUUID', 'taskType', 'parameter', 'serverCode', 'details']) {
      expect(field in error, field).toBe(false);
    }
    expect(Object.keys(error).sort()).toEqual(['code', 'name', 'retryable']);
  });

  it('has no optional field it was not given, in subclasses either', () => {
    const error = new TaskTimeoutError('ack', 1000);
    expect('taskUUID' in error).toBe(false);
  });
});
