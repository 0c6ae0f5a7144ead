import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from '../../src/transport/codec.js';

const TASK = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';
const decode = (value: unknown) => decodeFrame(typeof value === 'string' ? value : JSON.stringify(value));
const processing = { taskType: 'videoInference', taskUUID: TASK, status: 'processing' };
const success = { taskType: 'videoInference', taskUUID: TASK, status: 'success', videoUUID: 'v1', cost: 0.18 };
const timeoutProvider = { code: 'timeoutProvider', status: 'error', message: 'provider did not answer in time', taskUUID: TASK };

describe('decodeFrame', () => {
  it('decodes a data frame, keeping every field of its items', () => {
    expect(decode({ data: [processing, success] })).toEqual({ ok: true, frame: { data: [processing, success], errors: [] } });
  });

  it('decodes an `errors` frame', () => {
    expect(decode({ errors: [timeoutProvider] })).toEqual({ ok: true, frame: { data: [], errors: [timeoutProvider] } });
  });

  it('decodes a frame carrying both `data` and `errors`', () => {
    expect(decode({ data: [processing, success], errors: [timeoutProvider] })).toEqual({
      ok: true,
      frame: { data: [processing, success], errors: [timeoutProvider] },
    });
  });

  it('accepts the singular `error` key holding one object', () => {
    const item = { code: 'invalidApiKey', message: 'Invalid API key', taskType: 'authentication' };
    expect(decode({ error: item })).toEqual({ ok: true, frame: { data: [], errors: [item] } });
  });

  it('accepts the singular `error` key holding an array', () => {
    const items = [
      { code: 'invalidWidth', message: 'bad width', taskUUID: TASK },
      { code: 'invalidHeight', message: 'bad height', taskUUID: TASK },
    ];
    expect(decode({ error: items })).toEqual({ ok: true, frame: { data: [], errors: items } });
  });

  it('accepts `errors` holding one object instead of an array', () => {
    expect(decode({ errors: timeoutProvider })).toEqual({ ok: true, frame: { data: [], errors: [timeoutProvider] } });
  });

  it('turns a `data` object into an array of one item', () => {
    const upload = { taskType: 'imageUpload', taskUUID: TASK, imageUUID: 'i1' };
    expect(decode({ data: upload })).toEqual({ ok: true, frame: { data: [upload], errors: [] } });
  });

  it('accepts an empty `data` array and a null `data`', () => {
    expect(decode({ data: [] })).toEqual({ ok: true, frame: { data: [], errors: [] } });
    expect(decode({ data: null })).toEqual({ ok: true, frame: { data: [], errors: [] } });
  });

  it('reads the legacy `{ error: true, errorId: 19 }` shape as invalidApiKey', () => {
    expect(decode({ error: true, errorMessageContentId: 1212, errorId: 19, errorMessage: 'Invalid api key' })).toEqual({
      ok: true,
      frame: { data: [], errors: [{ code: 'invalidApiKey', message: 'Invalid api key' }] },
    });
  });

  it('reads other legacy failures as legacyError, with a default message', () => {
    expect(decode({ error: true, errorId: 7, errorMessage: 'Something broke' })).toEqual({
      ok: true,
      frame: { data: [], errors: [{ code: 'legacyError', message: 'Something broke' }] },
    });
    expect(decode({ error: true })).toEqual({ ok: true, frame: { data: [], errors: [{ code: 'legacyError', message: 'Unknown error' }] } });
  });

  it('takes the first string of a `parameter` array and keeps the whole array as `parameters`', () => {
    const result = decode({ errors: [{ code: 'incompatibleParameters', message: 'pick one', parameter: ['width', 'height'], taskUUID: TASK }] });
    expect(result).toEqual({
      ok: true,
      frame: {
        data: [],
        errors: [{ code: 'incompatibleParameters', message: 'pick one', parameter: 'width', parameters: ['width', 'height'], taskUUID: TASK }],
      },
    });
  });

  it('drops a `parameter` that is neither a string nor an array holding one', () => {
    const result = decode({ errors: [{ code: 'invalidWidth', message: 'm', parameter: 42 }, { code: 'invalidWidth', message: 'm', parameter: [1, 2] }] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.frame.errors[0]).not.toHaveProperty('parameter');
    expect(result.frame.errors[1]).not.toHaveProperty('parameter');
    expect(result.frame.errors[1]).toHaveProperty('parameters', [1, 2]);
  });

  it('defaults a missing code to unknownError and a missing message to the code', () => {
    expect(decode({ errors: [{ taskUUID: TASK }] })).toEqual({
      ok: true,
      frame: { data: [], errors: [{ code: 'unknownError', message: 'unknownError', taskUUID: TASK }] },
    });
    expect(decode({ errors: [{ code: 'taskNotFound' }] })).toEqual({
      ok: true,
      frame: { data: [], errors: [{ code: 'taskNotFound', message: 'taskNotFound' }] },
    });
  });

  it('drops a taskUUID that is not a string from an error item, which makes it unroutable', () => {
    const result = decode({ errors: [{ code: 'x', message: 'm', taskUUID: 12 }] });
    expect(result).toEqual({ ok: true, frame: { data: [], errors: [{ code: 'x', message: 'm' }] } });
    if (result.ok) expect(result.frame.errors[0]).not.toHaveProperty('taskUUID');
  });

  it('keeps the extra fields of error items', () => {
    const item = {
      code: 'unsupportedDuration',
      message: 'duration not supported',
      parameter: 'duration',
      type: 'float',
      documentation: 'https://runware.ai/docs/en/video-inference/api-reference#request-duration',
      taskUUID: TASK,
      allowedValues: [6],
    };
    expect(decode({ errors: [item] })).toEqual({ ok: true, frame: { data: [], errors: [item] } });
  });

  it('rejects text that is not JSON', () => {
    expect(decodeFrame('not json {')).toEqual({ ok: false, reason: 'not JSON' });
    expect(decodeFrame('')).toEqual({ ok: false, reason: 'not JSON' });
  });

  it('rejects JSON that is not an object: arrays, strings, numbers, null', () => {
    for (const text of ['[{"data":[]}]', '"pong"', '42', 'null', 'true']) {
      expect(decodeFrame(text), text).toEqual({ ok: false, reason: 'not a JSON object' });
    }
  });

  it('rejects an object with neither data nor errors', () => {
    expect(decode({})).toEqual({ ok: false, reason: 'neither data nor errors' });
    expect(decode({ hello: 'world' })).toEqual({ ok: false, reason: 'neither data nor errors' });
  });

  it('sets unreadable data items aside, with the taskUUID they name when it is readable, and keeps the rest', () => {
    expect(decode({ data: [processing, { taskUUID: TASK }, 'oops', null, { taskType: 'imageInference', taskUUID: 7 }] })).toEqual({
      ok: true,
      frame: {
        data: [processing],
        errors: [],
        malformed: [
          { taskUUID: TASK, reason: expect.any(String), raw: { taskUUID: TASK } },
          { reason: expect.any(String), raw: 'oops' },
          { reason: expect.any(String), raw: null },
          { reason: expect.any(String), raw: { taskType: 'imageInference', taskUUID: 7 } },
        ],
      },
    });
  });

  it('sets unreadable error items aside and keeps the rest', () => {
    expect(decode({ errors: [timeoutProvider, 'oops'] })).toEqual({
      ok: true,
      frame: { data: [], errors: [timeoutProvider], malformed: [{ reason: expect.any(String), raw: 'oops' }] },
    });
  });

  it('rejects a frame whose data or errors are neither an array nor an object', () => {
    expect(decode({ data: 'oops' })).toEqual({ ok: false, reason: 'malformed data' });
    expect(decode({ error: 'oops' })).toEqual({ ok: false, reason: 'malformed errors' });
  });

  it('accepts data items without taskUUID (pong, authentication)', () => {
    const items = [
      { taskType: 'ping', pong: true },
      { taskType: 'authentication', connectionSessionUUID: 'f40c2aeb-f8a7-4af7-a1ab-7594c9bf778f' },
    ];
    expect(decode({ data: items })).toEqual({ ok: true, frame: { data: items, errors: [] } });
  });
});

describe('encodeFrame', () => {
  it('encodes tasks as one JSON array, in order', () => {
    const tasks = [
      { taskType: 'authentication', apiKey: 'k' },
      { taskType: 'getResponse', taskUUID: TASK },
    ];
    expect(encodeFrame(tasks)).toBe(`[{"taskType":"authentication","apiKey":"k"},{"taskType":"getResponse","taskUUID":"${TASK}"}]`);
  });

  it('encodes a single task as an array of one', () => {
    expect(encodeFrame([{ taskType: 'ping', ping: true }])).toBe('[{"taskType":"ping","ping":true}]');
  });

  it('round-trips through JSON.parse', () => {
    const tasks = [{ taskType: 'imageInference', taskUUID: TASK, positivePrompt: 'a "quoted" cat', width: 512 }];
    expect(JSON.parse(encodeFrame(tasks))).toEqual(tasks);
  });
});

describe('decodeFrame with empty arrays', () => {
  it('accepts a frame whose only key is an empty errors array', () => {
    expect(decode('{"errors":[]}')).toEqual({ ok: true, frame: { data: [], errors: [] } });
  });
});
