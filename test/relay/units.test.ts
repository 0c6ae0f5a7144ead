import { asyncScheduler } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import type { OwnerClaim, RelayStore } from 'runware-rx/relay';
import { createMemoryStore } from 'runware-rx/relay';
import { holdsRequest } from '../../src/relay/archive-check.js';
import { refusedUntaken, summarise } from '../../src/relay/completion.js';
import { parseExactJson } from '../../src/protocol/exact-json.js';
import type { DataItem, ErrorItem } from '../../src/protocol/frames.js';
import { allTasks } from '../../src/tasks/registry.js';
import { destroysInputs, expectedResults, KNOWN_TASK_TYPES, refuseCounts, refuseDelivery, refuseTaskType } from '../../src/relay/task-rules.js';
import { ownArchive } from '../../src/relay/own-archive.js';
import { deliverToSessions } from '../../src/relay/task-delivery.js';
import type { TaskHost } from '../../src/relay/task-host.js';
import { StoreWrites } from '../../src/relay/store-writes.js';
import { claimSubmission } from '../../src/relay/task-screen.js';
import { scanTask } from '../../src/relay/task-scan.js';
import { outputUUIDsOf } from '../../src/relay/uuid-scan.js';

const T = '6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a5b';
const M = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('scanTask', () => {
  it('finds UUIDs at any depth, inside URLs too, lower-cased, with their path, and skips the task’s own taskUUID and data URIs', () => {
    const task = {
      taskType: 'imageInference',
      taskUUID: T,
      seedImage: `https://im.example/image/${M.toUpperCase()}.png`,
      inputs: { referenceImages: ['plain', { image: M }] },
      maskImage: `data:image/png;base64,${'A'.repeat(64)}`,
    };
    expect(scanTask(task, 256).uuids).toEqual([{ uuid: M, path: expect.stringMatching(/^(seedImage|inputs\.referenceImages\.1\.image)$/) as unknown }]);
    expect(scanTask({ taskType: 'x', taskUUID: T }, 256).uuids).toEqual([]);
  });
});

describe('outputUUIDsOf', () => {
  it('reads every ...UUID field and outputs.files[].uuid, never the taskUUID', () => {
    expect(outputUUIDsOf({ taskType: 'imageInference', taskUUID: T, imageUUID: M, seed: 1 })).toEqual([M]);
    expect(outputUUIDsOf({ taskType: '3dInference', taskUUID: T, outputs: { files: [{ uuid: M.toUpperCase(), url: 'u' }] } })).toEqual([M]);
    expect(outputUUIDsOf({ taskType: 'imageInference', taskUUID: T, imageUUID: 'not-a-uuid' })).toEqual([]);
  });
});

describe('summarise', () => {
  const read = (data: unknown[], errors: unknown[] = [], expected = 1) => summarise({ data: data as never, errors: errors as never }, 'videoInference', expected);

  it('an acknowledgement and processing items finish nothing', () => {
    expect(read([{ taskType: 'videoInference', taskUUID: T }])).toEqual({ finished: [], results: [], failed: [], taskFailed: false });
    expect(read([{ taskType: 'videoInference', taskUUID: T, status: 'processing', progress: 40 }])).toEqual({ finished: [], results: [], failed: [], taskFailed: false });
  });

  it('a result with or without a status finishes its item, keyed by its output UUID', () => {
    expect(read([{ taskType: 'videoInference', taskUUID: T, status: 'success', videoUUID: M }]).finished).toEqual([M]);
    expect(read([{ taskType: 'videoInference', taskUUID: T, videoURL: 'u' }]).finished).toEqual([expect.stringMatching(/^#/)]);
  });

  it('a result without an output UUID is keyed by what it says, identical ones by how many came before in the reply', () => {
    const text = (words: string, extra: object = {}) => ({ taskType: 'videoInference', taskUUID: T, text: words, ...extra });
    const once = read([text('a fox')]).finished;
    // The same words again (a frame written twice) give the same key, whatever its status or cost.
    expect(read([text('a fox', { status: 'success', cost: 0.01 })]).finished).toEqual(once);
    const twice = read([text('a fox'), text('a fox'), text('a hare')], [], 3).finished;
    expect(new Set(twice).size).toBe(3);
    expect(twice[0]).toBe(once[0]);
  });

  it('a poll turned away for a while (a rate limit, a server error) says nothing of the task', () => {
    expect(read([], [{ code: 'rateLimitExceeded', message: 'm', taskUUID: T, taskType: 'getResponse' }])).toEqual({ finished: [], results: [], failed: [], taskFailed: false });
    expect(read([], [{ code: 'internalServerError', message: 'm', taskUUID: T, taskType: 'getResponse' }])).toEqual({ finished: [], results: [], failed: [], taskFailed: false });
    // The same refusal of the submission itself ends the attempt: the server did not take it.
    expect(read([], [{ code: 'rateLimitExceeded', message: 'm', taskUUID: T, taskType: 'videoInference' }]).taskFailed).toBe(true);
  });

  it('a task error fails the task; a conflict does not; a failed item of several is an item; another task type’s items say nothing', () => {
    expect(read([], [{ code: 'unsupportedDuration', message: 'm', taskUUID: T }]).taskFailed).toBe(true);
    expect(read([], [{ code: 'taskNotFound', message: 'm', taskUUID: T, taskType: 'getResponse' }]).taskFailed).toBe(true);
    expect(read([], [{ code: 'conflictTaskUUID', message: 'm', taskUUID: T }])).toEqual({ finished: [], results: [], failed: [], taskFailed: false });
    const timedOut = { code: 'timeoutProvider', message: 'm', taskUUID: T };
    expect(read([], [timedOut], 2)).toEqual({ finished: [], results: [], failed: [timedOut], taskFailed: false });
    expect(read([{ taskType: 'getTaskDetails', taskUUID: T, request: [] }], [{ code: 'unsupportedTaskType', message: 'm', taskUUID: T, taskType: 'getTaskDetails' }])).toEqual({
      finished: [],
      results: [],
      failed: [],
      taskFailed: false,
    });
  });
});

describe('task rules', () => {
  it('allow getResponse always, account task types only when allowed, and nothing outside allowedTaskTypes', () => {
    expect(refuseTaskType({ taskType: 'getResponse' }, { userId: 'u', allowedTaskTypes: [] })).toBeUndefined();
    expect(refuseTaskType({ taskType: 'training' }, { userId: 'u' })?.code).toBe('permissionDenied');
    expect(refuseTaskType({ taskType: 'training' }, { userId: 'u', allowAccountTasks: true })).toBeUndefined();
    expect(refuseTaskType({ taskType: 'upscale' }, { userId: 'u', allowedTaskTypes: ['imageInference'] })?.code).toBe('permissionDenied');
  });

  it('know exactly the task types of runware-rx’s catalog, the poll, and the legacy wire names', () => {
    const legacy = ['imageCaption', 'imageUpscale', 'imageBackgroundRemoval', 'imageControlNetPreProcess'];
    expect(new Set(KNOWN_TASK_TYPES)).toEqual(new Set([...allTasks.map((task) => task.taskType), 'getResponse', ...legacy]));
  });

  it('deny every account task type in any case or spacing unless allowed, even when allowedTaskTypes names that spelling', () => {
    for (const taskType of ['accountManagement', 'modelUpload', 'training']) {
      for (const spelling of [taskType, taskType.toUpperCase(), ` ${taskType.toLowerCase()} `]) {
        expect(refuseTaskType({ taskType: spelling }, { userId: 'u', allowedTaskTypes: [spelling] })?.code).toBe('permissionDenied');
        expect(refuseTaskType({ taskType: spelling }, { userId: 'u', allowedTaskTypes: [spelling], allowAccountTasks: true })).toBeUndefined();
      }
    }
  });

  it('count numberResults (promptVersions for promptEnhance) against maxNumberResults', () => {
    expect(refuseCounts({ taskType: 'imageInference', numberResults: 5 }, { userId: 'u', maxNumberResults: 4 })).toMatchObject({ code: 'invalidNumberResults', parameter: 'numberResults', max: 4 });
    expect(refuseCounts({ taskType: 'promptEnhance', promptVersions: 5 }, { userId: 'u', maxNumberResults: 4 })).toMatchObject({ code: 'invalidPromptVersions' });
    expect(refuseCounts({ taskType: 'imageInference', numberResults: 4 }, { userId: 'u', maxNumberResults: 4 })).toBeUndefined();
    expect(expectedResults({ taskType: 'promptEnhance', promptVersions: 3 })).toBe(3);
    expect(expectedResults({ taskType: 'imageInference', numberResults: 'x' })).toBe(1);
  });
});

describe('refusedUntaken', () => {
  const untaken = (data: DataItem[], errors: ErrorItem[]) => refusedUntaken(summarise({ data, errors }, 'imageInference', 1), errors);
  const refusal = (code: string): ErrorItem => ({ code, message: code, taskType: 'imageInference', taskUUID: 't' });
  it('is a reply without results whose every error says the task was turned away at the door', () => {
    expect(untaken([], [refusal('modelNotFound')])).toBe(true);
    expect(untaken([], [refusal('invalidPositivePrompt'), refusal('insufficientCredits')])).toBe(true);
  });
  it('is not a failure of a task that ran, a conflict, or a reply that brought a result', () => {
    expect(untaken([], [refusal('providerError')])).toBe(false);
    expect(untaken([], [refusal('timeoutProvider')])).toBe(false);
    expect(untaken([], [refusal('conflictTaskUUID')])).toBe(false);
    expect(untaken([], [refusal('modelNotFound'), refusal('internalServerError')])).toBe(false);
    expect(untaken([{ taskType: 'imageInference', taskUUID: 't', imageUUID: 'c0ffee00-0000-4000-8000-000000000000' }], [refusal('invalidSeed')])).toBe(false);
  });
});

describe('refuseDelivery', () => {
  const refused = (allowed: string, value: string) => refuseDelivery([{ field: 'webhookURL', path: 'webhookURL', value }], { taskType: 'imageInference', taskUUID: 't' }, { userId: 'u', allowedDeliveryURLs: [allowed] }) !== undefined;
  it('takes a path under the prefix as a path segment does: the prefix itself and what is below it', () => {
    expect(refused('https://hooks.app.example/runware', 'https://hooks.app.example/runware')).toBe(false);
    expect(refused('https://hooks.app.example/runware', 'https://hooks.app.example/runware/done?x=1')).toBe(false);
    expect(refused('https://hooks.app.example/runware/', 'https://hooks.app.example/runware/done')).toBe(false);
  });
  it('refuses a path that only starts with the same letters, another origin, and credentials', () => {
    expect(refused('https://hooks.app.example/runware', 'https://hooks.app.example/runware-evil/x')).toBe(true);
    expect(refused('https://hooks.app.example/runware', 'https://hooks.app.example/runwarez')).toBe(true);
    expect(refused('https://hooks.app.example/runware', 'https://evil.example/runware')).toBe(true);
    expect(refused('https://hooks.app.example/runware', 'https://me:pw@hooks.app.example/runware')).toBe(true);
  });
});

describe('destroysInputs', () => {
  it('is a mediaStorage task with any operation but an upload, in any spelling; an upload or no operation only uses its input', () => {
    expect(destroysInputs({ taskType: 'mediaStorage', operation: 'delete' })).toBe(true);
    expect(destroysInputs({ taskType: ' MediaStorage', operation: 'DELETE ' })).toBe(true);
    expect(destroysInputs({ taskType: 'mediaStorage', operation: 'purge' })).toBe(true);
    expect(destroysInputs({ taskType: 'mediaStorage', operation: 1 })).toBe(true);
    expect(destroysInputs({ taskType: 'mediaStorage', operation: 'upload' })).toBe(false);
    expect(destroysInputs({ taskType: 'mediaStorage' })).toBe(false);
    expect(destroysInputs({ taskType: 'imageInference', operation: 'delete' })).toBe(false);
  });
});

describe('deliverToSessions', () => {
  const claimedOf = (item: Record<string, unknown>) => {
    const claimed: string[] = [];
    const host = { deliver: () => undefined, claimOutputs: (_user: string, uuids: readonly string[]) => void claimed.push(...uuids) } as unknown as TaskHost;
    deliverToSessions(host, { taskUUID: 't', userId: 'u', sessions: new Set(['s']) }, [item], []);
    return claimed;
  };
  const media = 'c0ffee00-0000-4000-8000-000000000000';
  it('claims what an upload made, however its answer spells the operation, and nothing a delete names', () => {
    expect(claimedOf({ taskType: 'mediaStorage', taskUUID: 't', operation: 'upload', mediaUUID: media })).toEqual([media]);
    expect(claimedOf({ taskType: 'mediaStorage', taskUUID: 't', operation: 'Upload', mediaUUID: media })).toEqual([media]);
    expect(claimedOf({ taskType: 'mediaStorage', taskUUID: 't', mediaUUID: media })).toEqual([media]);
    expect(claimedOf({ taskType: 'mediaStorage', taskUUID: 't', operation: 'delete', mediaUUID: media })).toEqual([]);
    expect(claimedOf({ taskType: 'mediaStorage', taskUUID: 't', operation: 'DELETE', mediaUUID: media })).toEqual([]);
  });
});

describe('ownArchive', () => {
  const mine = { taskType: 'imageInference', taskUUID: 'a' };
  const theirs = { taskType: 'imageInference', taskUUID: 'b' };
  it("keeps the looked-up task of an archived frame and drops the others'", () => {
    expect(ownArchive({ taskType: 'getTaskDetails', taskUUID: 'a', request: [theirs, mine], response: {} }, 'a')).toEqual({ taskType: 'getTaskDetails', taskUUID: 'a', request: [mine], response: {} });
  });
  it("keeps the task's own items of the archived answer, and what the answer says besides them", () => {
    const response = { status: 'success', data: [{ ...theirs, imageUUID: 'x' }, { ...mine, imageUUID: 'y' }], errors: [{ code: 'e', taskUUID: 'b' }] };
    expect(ownArchive({ taskType: 'getTaskDetails', taskUUID: 'a', response }, 'a')).toEqual({ taskType: 'getTaskDetails', taskUUID: 'a', response: { status: 'success', data: [{ ...mine, imageUUID: 'y' }], errors: [] } });
  });
  it('keeps a request of one task only if it is the task, drops what is in no known form, and leaves any other item as it came', () => {
    expect(ownArchive({ taskType: 'getTaskDetails', taskUUID: 'a', request: mine }, 'a')).toEqual({ taskType: 'getTaskDetails', taskUUID: 'a', request: mine });
    expect(ownArchive({ taskType: 'getTaskDetails', taskUUID: 'a', request: theirs }, 'a')).toEqual({ taskType: 'getTaskDetails', taskUUID: 'a', request: [] });
    expect(ownArchive({ taskType: 'getTaskDetails', taskUUID: 'a', request: 'a frame as text', response: [theirs] }, 'a')).toEqual({ taskType: 'getTaskDetails', taskUUID: 'a', request: [], response: {} });
    const result = { taskType: 'imageInference', taskUUID: 'a', request: [theirs] };
    expect(ownArchive(result, 'a')).toBe(result);
  });
});

describe('createMemoryStore', () => {
  it('claims atomically: the first claim holds, later ones get it back', () => {
    const store = createMemoryStore();
    expect(store.claim(T, { userId: 'alice', kind: 'task' }, 60_000)).toEqual({ userId: 'alice', kind: 'task' });
    expect(store.claim(T, { userId: 'bob', kind: 'task' }, 60_000)).toEqual({ userId: 'alice', kind: 'task' });
    expect(store.holderOf(T, 'task')).toEqual({ userId: 'alice', kind: 'task' });
  });

  it('forgets expired entries and bounds the frames kept per session', () => {
    let now = 1_000_000;
    const clock = vi.spyOn(asyncScheduler, 'now').mockImplementation(() => now);
    try {
      const store = createMemoryStore({ maxFramesPerSession: 2 });
      store.putSession('s', { userId: 'u' }, 5);
      for (const text of ['1', '2', '3']) store.appendFrame('s', { at: 0, text }, 60_000);
      expect(store.takeFrames('s')).toEqual([{ at: 0, text: '2' }, { at: 0, text: '3' }]);
      expect(store.takeFrames('s')).toEqual([]);
      expect(store.getSession('s')).toEqual({ userId: 'u' });
      now += 6;
      expect(store.getSession('s')).toBeUndefined();
    } finally {
      clock.mockRestore();
    }
  });
});

describe('holdsRequest', () => {
  it('finds a submission with a seed past 2^53 in the archive by its exact digits', () => {
    const sent = { taskType: 'imageInference', taskUUID: T, positivePrompt: 'a lighthouse', seed: 9223372036854775807n };
    // Decoded as every upstream frame is: the seed as a BigInt of its digits.
    const archived = parseExactJson(`[{"taskType":"imageInference","taskUUID":"${T}","positivePrompt":"a lighthouse","seed":9223372036854775807}]`);
    expect(holdsRequest(archived, sent)).toBe(true);
    expect(holdsRequest(archived, { ...sent, seed: 9223372036854775806n })).toBe(false);
  });
});

describe('StoreWrites.settledWithin', () => {
  it('waits for the writes under way at most its bound, then names those left, each kind once; a wait that ends in time leaves no timer', async () => {
    vi.useFakeTimers();
    try {
      const writes = new StoreWrites(undefined);
      let answer: () => void = () => undefined;
      writes.track('the session of user=alice', () => new Promise<void>((resolve) => (answer = resolve)));
      const inTime = writes.settledWithin(5000);
      answer();
      expect(await inTime).toBeUndefined();
      expect(vi.getTimerCount()).toBe(0);

      const never = (): Promise<void> => new Promise<void>(() => undefined);
      writes.track('the detached session of user=alice', never);
      for (let frame = 0; frame < 3; frame++) writes.track('a frame kept for the session of user=alice', never);
      // A store that answers at once is nothing to wait for.
      writes.track('the session of user=bob', () => undefined);
      let given: string | undefined = 'still waiting';
      void writes.settledWithin(5000).then((left) => (given = left));
      await vi.advanceTimersByTimeAsync(4999);
      expect(given).toBe('still waiting');
      await vi.advanceTimersByTimeAsync(1);
      expect(given).toBe('the detached session of user=alice, a frame kept for the session of user=alice (×3)');
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('claimSubmission', () => {
  const ALICE_MEDIA: OwnerClaim = { userId: 'alice', kind: 'media' };

  /** A store whose media look-up answers "nobody's" only when told to, as one read just before a claim landed. */
  const slowRead = (): { readonly store: RelayStore; answer(): void } => {
    const store = createMemoryStore();
    let answer = (): void => undefined;
    return {
      store: { ...store, holdersOf: (uuids) => new Promise((resolve) => (answer = () => resolve(uuids.map(() => undefined)))) },
      answer: () => answer(),
    };
  };

  const submission = (mediaInFlight: (uuid: string) => OwnerClaim | undefined, userId = 'alice') => ({
    ref: { taskType: 'imageInference', taskUUID: T },
    userId,
    inputs: [{ uuid: M, path: 'seedImage' }],
    expected: 1,
    claimIfFree: false,
    ownershipTtlMs: 60_000,
    unclaimedInputs: 'refuse' as const,
    ownInputsOnly: false,
    mediaInFlight,
  });

  it('counts a media claim on its way to the store, also one that reaches the store (and leaves memory) while the store is read', async () => {
    const { store, answer } = slowRead();
    let inFlight: OwnerClaim | undefined = ALICE_MEDIA;
    const checked = claimSubmission(store, submission(() => inFlight));
    // The claim lands after the store was read: the store's answer says nobody's, memory no longer has it.
    inFlight = undefined;
    answer();
    expect(await checked).toEqual({ claim: undefined });
  });

  it('counts it against another user, and refuses what neither the store nor memory has', async () => {
    const forBob = slowRead();
    const bobs = claimSubmission(forBob.store, submission(() => ALICE_MEDIA, 'bob'));
    forBob.answer();
    expect(await bobs).toMatchObject({ code: 'mediaNotFound', parameter: 'seedImage' });
    const nobodys = slowRead();
    const unclaimed = claimSubmission(nobodys.store, submission(() => undefined));
    nobodys.answer();
    expect(await unclaimed).toMatchObject({ code: 'mediaNotFound', parameter: 'seedImage' });
  });
});
