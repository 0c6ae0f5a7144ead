import { describe, expect, it } from 'vitest';
import { fromErrorItem } from '../../src/errors/from-error-item.js';
import { RunwareError } from '../../src/errors/runware-error.js';

const TASK = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';

describe('fromErrorItem', () => {
  it('maps the server code to a category and keeps it as serverCode, with message, parameter and taskUUID', () => {
    const error = fromErrorItem({ code: 'invalidWidth', message: 'Width must be a multiple of 64', parameter: 'width', taskUUID: TASK });
    expect(error).toBeInstanceOf(RunwareError);
    expect(error).toMatchObject({
      code: 'validation',
      retryable: false,
      serverCode: 'invalidWidth',
      message: 'Width must be a multiple of 64',
      parameter: 'width',
      taskUUID: TASK,
    });
  });

  it('makes the error retryable by its category', () => {
    expect(fromErrorItem({ code: 'timeoutProvider', message: 'm' })).toMatchObject({ code: 'timeout', retryable: true });
    expect(fromErrorItem({ code: 'insufficientCredits', message: 'm' })).toMatchObject({ code: 'quota', retryable: false });
  });

  it('keeps the fields beyond the envelope as details', () => {
    const error = fromErrorItem({
      code: 'unsupportedDuration',
      message: 'duration not supported',
      parameter: 'duration',
      type: 'float',
      documentation: 'https://runware.ai/docs/en/video-inference/api-reference#request-duration',
      taskUUID: TASK,
      taskType: 'videoInference',
      status: 'error',
      allowedValues: [6],
    });
    expect(error.details).toEqual({
      type: 'float',
      documentation: 'https://runware.ai/docs/en/video-inference/api-reference#request-duration',
      allowedValues: [6],
    });
  });

  it('has no details when the item has only envelope fields', () => {
    expect(fromErrorItem({ code: 'taskNotFound', message: 'm', taskUUID: TASK, status: 'error' }).details).toBeUndefined();
  });

  it('fills taskUUID and taskType from the context when the server left them out', () => {
    const error = fromErrorItem({ code: 'timeoutProvider', message: 'm' }, { taskUUID: TASK, taskType: 'videoInference' });
    expect(error).toMatchObject({ taskUUID: TASK, taskType: 'videoInference' });
  });

  it("keeps the item's own taskUUID over the context's", () => {
    expect(fromErrorItem({ code: 'x', message: 'm', taskUUID: 'from-server' }, { taskUUID: 'from-context' }).taskUUID).toBe('from-server');
  });

  it("uses the item's taskType when there is no context", () => {
    expect(fromErrorItem({ code: 'invalidApiKey', message: 'm', taskType: 'authentication' }).taskType).toBe('authentication');
  });
});
