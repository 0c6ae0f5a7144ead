import { describe, expect, it } from 'vitest';
import { RunwareError } from '../../src/errors/runware-error.js';
import type { DataItem, ErrorItem } from '../../src/protocol/frames.js';
import { readReply } from '../../src/request/read-reply.js';
import { fieldResult } from '../../src/tasks/result-readers.js';
import type { ReadContext } from '../../src/request/read-reply.js';
import { errorMatching } from '../support/marbles.js';

const TASK = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';
const taskType = 'videoInference';
const resultKey = (item: DataItem): string | undefined => (typeof item['videoUUID'] === 'string' ? item['videoUUID'] : undefined);
const reader = { key: resultKey, isResult: (item: DataItem) => resultKey(item) !== undefined };
const context = (overrides: Partial<ReadContext> = {}): ReadContext => ({ taskUUID: TASK, taskType, expected: 1, reader, ...overrides });
const reply = (data: DataItem[], errors: ErrorItem[] = []) => ({ data, errors });

const ack: DataItem = { taskType, taskUUID: TASK };
const pushed = (videoUUID: string): DataItem => ({ taskType, taskUUID: TASK, videoUUID, videoURL: `https://vm.example/${videoUUID}.mp4` });
const success = (videoUUID: string): DataItem => ({ ...pushed(videoUUID), status: 'success', cost: 0.18 });
const processing = (progress?: number): DataItem => ({ taskType, taskUUID: TASK, status: 'processing', ...(progress === undefined ? {} : { progress }) });

describe('readReply', () => {
  it('reads an item with a result key and no status as a result', () => {
    const item = pushed('v1');
    expect(readReply(reply([item]), context())).toEqual({
      events: [{ type: 'item', item }],
      conflict: false,
      taskError: undefined,
      successes: 1,
      failures: 0,
      running: 0,
      progress: undefined,
    });
  });

  it('reads items with status success or completed as results, key or not', () => {
    const done = success('v1');
    const completed: DataItem = { taskType, taskUUID: TASK, status: 'completed' };
    const reading = readReply(reply([done, completed]), context({ expected: 2 }));
    expect(reading.events).toEqual([
      { type: 'item', item: done },
      { type: 'item', item: completed },
    ]);
    expect(reading.successes).toBe(2);
  });

  it('counts an output a poll answer lists twice once: a task of two is not done with one', () => {
    const done = success('v1');
    const reading = readReply(reply([done, processing(50), { ...done }]), context({ expected: 2, poll: 1 }));
    expect(reading.successes).toBe(1);
    expect(reading.running).toBe(1);
    expect(reading.events.filter((event) => event.type === 'item')).toEqual([{ type: 'item', item: done }]);
  });

  it('reads an item with neither status nor result key as an acknowledgement: no events', () => {
    expect(readReply(reply([ack]), context())).toEqual({
      events: [],
      conflict: false,
      taskError: undefined,
      successes: 0,
      failures: 0,
      running: 0,
      progress: undefined,
    });
  });

  it('reports the mean progress of the items still running', () => {
    const reading = readReply(reply([processing(20), processing(60), processing(), success('v1')]), context({ expected: 4 }));
    expect(reading.progress).toBe(40);
    expect(reading.successes).toBe(1);
    expect(reading.events).toEqual([{ type: 'item', item: success('v1') }]);
  });

  it('reports no progress when running items carry none', () => {
    expect(readReply(reply([processing()]), context()).progress).toBeUndefined();
  });

  describe('failed items', () => {
    it('reads a data item with status error and a nested error object as a failed item', () => {
      const failed: DataItem = {
        taskType,
        taskUUID: TASK,
        status: 'error',
        error: { code: 'timeoutProvider', message: 'The provider did not answer in time' },
      };
      const reading = readReply(reply([failed]), context());
      expect(reading.failures).toBe(1);
      expect(reading.taskError).toBeUndefined();
      expect(reading.events).toEqual([
        {
          type: 'itemFailed',
          error: errorMatching(RunwareError, {
            code: 'timeout',
            serverCode: 'timeoutProvider',
            message: 'The provider did not answer in time',
            taskUUID: TASK,
            taskType,
          }),
        },
      ]);
    });

    it('reads a data item with status error and no nested error as a failed item with a generic message', () => {
      const reading = readReply(reply([{ taskType, taskUUID: TASK, status: 'error' }]), context());
      expect(reading.events).toEqual([
        { type: 'itemFailed', error: errorMatching(RunwareError, { code: 'provider', serverCode: 'taskFailed', message: 'A videoInference item failed.', taskUUID: TASK }) },
      ]);
    });

    it('reads an errors-array item with status error as a failed item, even for a single-result task', () => {
      const item: ErrorItem = { code: 'timeoutProvider', status: 'error', message: 'provider did not answer in time', taskUUID: TASK };
      const reading = readReply(reply([processing()], [item]), context());
      expect(reading.taskError).toBeUndefined();
      expect(reading.failures).toBe(1);
      expect(reading.events).toEqual([{ type: 'itemFailed', error: errorMatching(RunwareError, { code: 'timeout', serverCode: 'timeoutProvider', taskUUID: TASK }) }]);
    });

    it('counts, in a poll answer, the failures before each one that say the same, so repeated answers can be de-duplicated', () => {
      const nested: DataItem = { taskType, taskUUID: TASK, status: 'error', error: { code: 'providerError', message: 'm' } };
      const listed: ErrorItem = { code: 'timeoutProvider', status: 'error', message: 'm', taskUUID: TASK };
      const reading = readReply(reply([nested], [listed, listed]), context({ expected: 3, poll: 4 }));
      expect(reading.events).toEqual([
        { type: 'status', status: 'error', poll: 4 },
        { type: 'itemFailed', error: errorMatching(RunwareError, { serverCode: 'providerError' }), position: 0 },
        { type: 'itemFailed', error: errorMatching(RunwareError, { serverCode: 'timeoutProvider' }), position: 0 },
        { type: 'itemFailed', error: errorMatching(RunwareError, { serverCode: 'timeoutProvider' }), position: 1 },
      ]);
    });

    it('counts, in a poll answer, the results without an identity before each one that say the same, whatever runs between them', () => {
      const text = (words: string): DataItem => ({ taskType: 'caption', taskUUID: TASK, status: 'success', text: words });
      const running: DataItem = { taskType: 'caption', taskUUID: TASK, status: 'processing' };
      const textContext = context({ expected: 4, poll: 2, reader: fieldResult('text') });
      const reading = readReply(reply([running, text('b'), text('a'), running, text('b')]), textContext);
      expect(reading.events.filter((event) => event.type === 'item')).toEqual([
        { type: 'item', item: text('b'), position: 0 },
        { type: 'item', item: text('a'), position: 0 },
        { type: 'item', item: text('b'), position: 1 },
      ]);
    });

    it('gives pushed failures no position', () => {
      const reading = readReply(reply([{ taskType, taskUUID: TASK, status: 'error' }]), context());
      expect(reading.events[0]).not.toHaveProperty('position');
    });
  });

  describe('errors without status', () => {
    it('reads conflictTaskUUID as a conflict, not as an error', () => {
      const reading = readReply(reply([], [{ code: 'conflictTaskUUID', message: 'taskUUID already in use', taskUUID: TASK }]), context());
      expect(reading).toEqual({ events: [], conflict: true, taskError: undefined, successes: 0, failures: 0, running: 0, progress: undefined });
    });

    it('reads an error of a single-result task as an error of the whole task', () => {
      const reading = readReply(reply([], [{ code: 'timeoutProvider', message: 'm', taskUUID: TASK }]), context({ expected: 1 }));
      expect(reading.events).toEqual([]);
      expect(reading.failures).toBe(0);
      expect(reading.taskError).toEqual(errorMatching(RunwareError, { code: 'timeout', serverCode: 'timeoutProvider', taskUUID: TASK, taskType }));
    });

    it('reads provider, safety and timeout errors of a multi-result task as failed items', () => {
      const errors: ErrorItem[] = [
        { code: 'providerError', message: 'm', taskUUID: TASK },
        { code: 'contentPolicyViolation', message: 'm', taskUUID: TASK },
        { code: 'timeoutProvider', message: 'm', taskUUID: TASK },
      ];
      const reading = readReply(reply([], errors), context({ expected: 4 }));
      expect(reading.taskError).toBeUndefined();
      expect(reading.failures).toBe(3);
      expect(reading.events.map((event) => event.type === 'itemFailed' && event.error.code)).toEqual(['provider', 'safety', 'timeout']);
    });

    it('reads other errors of a multi-result task as an error of the whole task', () => {
      const reading = readReply(
        reply([], [{ code: 'unsupportedDuration', message: 'duration not supported', parameter: 'duration', taskUUID: TASK, allowedValues: [6] }]),
        context({ expected: 4 }),
      );
      expect(reading.failures).toBe(0);
      expect(reading.taskError).toEqual(
        errorMatching(RunwareError, { code: 'validation', serverCode: 'unsupportedDuration', parameter: 'duration', details: { allowedValues: [6] } }),
      );
    });

    it('keeps the first of several task errors', () => {
      const reading = readReply(
        reply([], [
          { code: 'insufficientCredits', message: 'first', taskUUID: TASK },
          { code: 'invalidWidth', message: 'second', taskUUID: TASK },
        ]),
        context(),
      );
      expect(reading.taskError).toEqual(errorMatching(RunwareError, { code: 'quota', message: 'first' }));
    });
  });

  describe('status events', () => {
    it('reports one status event first for each poll answer, with the poll number and mean progress', () => {
      const reading = readReply(reply([processing(30), success('v1'), processing(50)]), context({ expected: 3, poll: 2 }));
      expect(reading.events).toEqual([
        { type: 'status', status: 'processing', progress: 40, poll: 2 },
        // An output UUID recognises the result: it needs no count.
        { type: 'item', item: success('v1') },
      ]);
    });

    it('reports processing without progress when the server gives none', () => {
      const reading = readReply(reply([processing()]), context({ poll: 1 }));
      expect(reading.events).toEqual([{ type: 'status', status: 'processing', poll: 1 }]);
      expect(reading.events[0]).not.toHaveProperty('progress');
    });

    it('reports success when every item finished, error when one failed and none runs', () => {
      expect(readReply(reply([success('v1')]), context({ poll: 3 })).events[0]).toEqual({ type: 'status', status: 'success', poll: 3 });
      const failed = readReply(reply([success('v1')], [{ code: 'timeoutProvider', status: 'error', message: 'm', taskUUID: TASK }]), context({ expected: 2, poll: 3 }));
      expect(failed.events[0]).toEqual({ type: 'status', status: 'error', poll: 3 });
    });

    it('reports the same status again for an unchanged answer to a later poll', () => {
      const answer = reply([processing(10)]);
      expect(readReply(answer, context({ poll: 1 })).events).toEqual([{ type: 'status', status: 'processing', progress: 10, poll: 1 }]);
      expect(readReply(answer, context({ poll: 2 })).events).toEqual([{ type: 'status', status: 'processing', progress: 10, poll: 2 }]);
    });

    it('reports no status for pushed replies', () => {
      expect(readReply(reply([processing(10), pushed('v1')]), context({ expected: 2 })).events).toEqual([{ type: 'item', item: pushed('v1') }]);
    });

    it('reports no status for a poll answer that says nothing about items', () => {
      expect(readReply(reply([ack]), context({ poll: 1 })).events).toEqual([]);
    });
  });

  it('reads the same reply the same way every time', () => {
    const answer = reply([processing(20), success('v1')], [{ code: 'timeoutProvider', status: 'error', message: 'm', taskUUID: TASK }]);
    const first = readReply(answer, context({ expected: 3, poll: 1 }));
    const second = readReply(answer, context({ expected: 3, poll: 1 }));
    expect(second).toEqual(first);
    expect(answer.data).toEqual([processing(20), success('v1')]);
  });
});
