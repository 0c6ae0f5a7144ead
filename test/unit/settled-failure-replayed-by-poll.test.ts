import { NEVER, concat, from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { collectResults } from '../../src/operators/collect-results.js';
import type { DataItem } from '../../src/protocol/frames.js';
import { readReply } from '../../src/request/read-reply.js';
import type { TaskEvent } from '../../src/events/task-event.js';

const TASK = '0b6b6a3e-2f0e-4d8c-9a61-3c0f4f1b2d7e';
const taskType = 'imageInference';
const resultKey = (item: DataItem): string | undefined => (typeof item['imageUUID'] === 'string' ? item['imageUUID'] : undefined);

describe('settled results across a push and a poll', () => {
  it('reports a failed item once when a poll answer repeats a pushed failure', () => {
    const context = { taskUUID: TASK, taskType, expected: 3, reader: { key: resultKey, isResult: (item: DataItem) => resultKey(item) !== undefined } };
    const done: DataItem = { taskType, taskUUID: TASK, imageUUID: 'i1' };
    const failed: DataItem = { taskType, taskUUID: TASK, status: 'error', error: { code: 'contentPolicyViolation', message: 'blocked' } };
    const running: DataItem = { taskType, taskUUID: TASK, status: 'processing' };
    const pushed = readReply({ data: [done, failed], errors: [] }, context);
    const polled = readReply({ data: [{ ...done, status: 'success' }, failed, running], errors: [] }, { ...context, poll: 1 });

    const seen: (TaskEvent | 'complete')[] = [];
    // NEVER after the events: only the collector may complete the stream.
    concat(from([...pushed.events, ...polled.events]), NEVER)
      .pipe(collectResults({ taskUUID: TASK, taskType, expected: 3, keyOf: resultKey, settled: true }))
      .subscribe({ next: (event) => seen.push(event), complete: () => seen.push('complete') });

    expect(seen.map((event) => (event === 'complete' ? event : `${event.type}${'index' in event ? `#${event.index}` : ''}`))).toEqual([
      'result#0',
      'failed#1',
      'status',
    ]);
  });
});
