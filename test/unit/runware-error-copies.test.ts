import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/errors/protocol-error.js';
import { RunwareError } from '../../src/errors/runware-error.js';
import { TaskTimeoutError } from '../../src/errors/task-timeout-error.js';
import { ValidationError } from '../../src/errors/validation-error.js';

/*
 * An error as it leaves the process and as another copy of runware-rx sees it. A log line or a job
 * queue writes errors with JSON.stringify: what it writes says what went wrong, in words too. An
 * application that loads both builds (its ES modules import runware-rx, a CommonJS dependency
 * requires it) has two copies of every class: `instanceof` still tells their errors apart by
 * class. A second instance of the modules (a query string makes Vite load one) stands in for the
 * other build.
 */

interface Copy {
  readonly RunwareError: typeof RunwareError;
  readonly ValidationError: typeof ValidationError;
  readonly TaskTimeoutError: typeof TaskTimeoutError;
}

/** The module at `path` (from this folder) loaded a second time. */
const again = <T>(path: string): Promise<T> => import(/* @vite-ignore */ `${new URL(path, import.meta.url).href}?copy`) as Promise<T>;

async function otherCopy(): Promise<Copy> {
  const [base, validation, timeout] = await Promise.all([
    again<typeof import('../../src/errors/runware-error.js')>('../../src/errors/runware-error.ts'),
    again<typeof import('../../src/errors/validation-error.js')>('../../src/errors/validation-error.ts'),
    again<typeof import('../../src/errors/task-timeout-error.js')>('../../src/errors/task-timeout-error.ts'),
  ]);
  return { RunwareError: base.RunwareError, ValidationError: validation.ValidationError, TaskTimeoutError: timeout.TaskTimeoutError };
}

describe('an error written as JSON', () => {
  it('carries its message beside its code and fields', () => {
    const error = new RunwareError({ code: 'provider', message: 'The provider failed the task.', serverCode: 'providerError', taskUUID: 't1', taskType: 'videoInference', sent: true });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'RunwareError',
      message: 'The provider failed the task.',
      code: 'provider',
      retryable: true,
      serverCode: 'providerError',
      taskUUID: 't1',
      taskType: 'videoInference',
      sent: true,
    });
  });

  it('carries the message and the fields of each subclass', () => {
    expect(JSON.parse(JSON.stringify(new ValidationError('upscale request', [{ path: 'upscaleFactor', message: 'upscaleFactor must be 2 to 4' }])))).toMatchObject({
      name: 'ValidationError',
      message: 'Invalid upscale request: upscaleFactor must be 2 to 4',
      parameter: 'upscaleFactor',
      issues: [{ path: 'upscaleFactor', message: 'upscaleFactor must be 2 to 4' }],
    });
    expect(JSON.parse(JSON.stringify(new TaskTimeoutError('poll', 5000)))).toMatchObject({ name: 'TaskTimeoutError', message: 'The server did not answer a status poll within 5000 ms.', phase: 'poll', timeoutMs: 5000 });
    expect(JSON.parse(JSON.stringify(new ProtocolError('unreadable item', 7)))).toMatchObject({ name: 'ProtocolError', message: 'unreadable item', raw: 7 });
  });
});

describe('an error of another copy of runware-rx', () => {
  it('is an instance of this copy’s class of the same name, and of its base class', async () => {
    const copy = await otherCopy();
    expect(copy.RunwareError).not.toBe(RunwareError);
    const invalid = new copy.ValidationError('upscale request', [{ path: 'upscaleFactor', message: 'bad' }]);
    const late = new copy.TaskTimeoutError('total', 1000);
    expect([invalid instanceof ValidationError, invalid instanceof RunwareError, late instanceof TaskTimeoutError, late instanceof RunwareError]).toEqual([true, true, true, true]);
  });

  it('is no instance of a class it does not belong to', async () => {
    const copy = await otherCopy();
    const plain = new copy.RunwareError({ code: 'timeout', message: 'late' });
    const invalid = new copy.ValidationError('upscale request', []);
    expect([plain instanceof TaskTimeoutError, plain instanceof ValidationError, invalid instanceof TaskTimeoutError]).toEqual([false, false, false]);
    expect([new Error('x') instanceof RunwareError, { code: 'timeout', retryable: true } instanceof RunwareError]).toEqual([false, false]);
  });

  it('keeps instanceof of a class of the caller’s own, derived from RunwareError, to that class', async () => {
    class QueueError extends RunwareError {}
    const copy = await otherCopy();
    expect(new copy.RunwareError({ code: 'unknown', message: 'x' }) instanceof QueueError).toBe(false);
    expect(new QueueError({ code: 'unknown', message: 'x' }) instanceof RunwareError).toBe(true);
  });
});
