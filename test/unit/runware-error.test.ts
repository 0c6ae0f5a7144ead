import { describe, expect, it } from 'vitest';
import { RunwareError } from '../../src/errors/runware-error.js';
import type { RunwareErrorCode } from '../../src/errors/runware-error.js';
import { TaskTimeoutError } from '../../src/errors/task-timeout-error.js';
import { ValidationError } from '../../src/errors/validation-error.js';

const RETRYABLE: Readonly<Record<RunwareErrorCode, boolean>> = {
  validation: false,
  auth: false,
  quota: false,
  rateLimit: true,
  safety: false,
  provider: true,
  timeout: true,
  notFound: false,
  serverError: true,
  connection: true,
  aborted: false,
  protocol: false,
  unknown: false,
};

describe('RunwareError', () => {
  it.each(Object.entries(RETRYABLE) as [RunwareErrorCode, boolean][])('defaults retryable for %s to %s', (code, retryable) => {
    expect(new RunwareError({ code, message: 'm' }).retryable).toBe(retryable);
  });

  it('lets an explicit retryable override the default either way', () => {
    expect(new RunwareError({ code: 'connection', message: 'm', retryable: false }).retryable).toBe(false);
    expect(new RunwareError({ code: 'validation', message: 'm', retryable: true }).retryable).toBe(true);
  });

  it('is an Error named RunwareError with the given message and code', () => {
    const error = new RunwareError({ code: 'quota', message: 'Insufficient credits' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('RunwareError');
    expect(error.message).toBe('Insufficient credits');
    expect(error.code).toBe('quota');
    expect(String(error)).toBe('RunwareError: Insufficient credits');
    expect(error.stack).toContain('Insufficient credits');
  });

  it('keeps the optional fields it is given', () => {
    const details = { allowedValues: [6], documentation: 'https://runware.ai/docs' };
    const error = new RunwareError({
      code: 'validation',
      message: 'duration not supported',
      taskUUID: 't1',
      taskType: 'videoInference',
      parameter: 'duration',
      serverCode: 'unsupportedDuration',
      details,
    });
    expect(error).toMatchObject({ taskUUID: 't1', taskType: 'videoInference', parameter: 'duration', serverCode: 'unsupportedDuration', details });
  });

  it('keeps the cause it is given', () => {
    const cause = new TypeError('socket gone');
    expect(new RunwareError({ code: 'connection', message: 'lost', cause }).cause).toBe(cause);
  });

  it('has no cause when none is given', () => {
    expect('cause' in new RunwareError({ code: 'connection', message: 'lost' })).toBe(false);
  });
});

describe('TaskTimeoutError', () => {
  it('is a RunwareError with code timeout, its phase and its deadline', () => {
    const error = new TaskTimeoutError('ack', 30_000, { taskUUID: 't1', taskType: 'videoInference' });
    expect(error).toBeInstanceOf(RunwareError);
    expect(error).toMatchObject({ name: 'TaskTimeoutError', code: 'timeout', phase: 'ack', timeoutMs: 30_000, taskUUID: 't1', taskType: 'videoInference' });
    expect(error.message).toBe('The server did not acknowledge the task within 30000 ms.');
  });

  it('is retryable for every phase but the whole-task deadline', () => {
    expect(new TaskTimeoutError('total', 1).retryable).toBe(false);
    expect(new TaskTimeoutError('ack', 1).retryable).toBe(true);
    expect(new TaskTimeoutError('poll', 1).retryable).toBe(true);
    expect(new TaskTimeoutError('auth', 1).retryable).toBe(true);
  });

  it('warns in its message that a timed-out task may still be billed', () => {
    expect(new TaskTimeoutError('total', 600_000).message).toBe('The task did not finish within 600000 ms; the server may still complete and bill it.');
  });

  it('says so in its message when the timed-out task was never sent', () => {
    expect(new TaskTimeoutError('total', 300, { sent: false }).message).toBe('The task did not finish within 300 ms; it was never sent, so nothing was billed.');
    expect(new TaskTimeoutError('total', 300, { sent: true }).message).toContain('may still complete and bill it');
  });
});

describe('ValidationError', () => {
  it('is a non-retryable validation RunwareError naming the first parameter at fault and listing every issue', () => {
    const issues = [
      { path: 'width', message: 'must be a multiple of 64' },
      { path: 'lora.0.weight', message: 'too large' },
    ];
    const error = new ValidationError('imageInference request', issues, 'imageInference');
    expect(error).toBeInstanceOf(RunwareError);
    expect(error).toMatchObject({ name: 'ValidationError', code: 'validation', retryable: false, sent: false, taskType: 'imageInference', parameter: 'width', issues });
    expect(error.message).toBe('Invalid imageInference request: width: must be a multiple of 64; lora.0.weight: too large');
  });
});
