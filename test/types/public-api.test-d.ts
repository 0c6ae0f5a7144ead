import { describe, expectTypeOf, it } from 'vitest';
import type { Observable } from 'rxjs';
import type { ConnectionState, DryRunResult, MediaSource, RunwareClient, TaskEvent, TaskStatus } from 'runware-rx';
import { MEDIA_SOURCE } from 'runware-rx';
import type { ImageInferenceParams, PhotoMakerParams, TextInferenceDelta, TextInferenceParams, TextInferenceResult, VideoInferenceResult } from 'runware-rx/tasks';
import type { SimulatorMedia } from 'runware-rx/simulator';

declare const runware: RunwareClient;
const maker = { model: 'civitai:139562@297320', inputImages: ['https://example.com/face.png'], positivePrompt: 'a portrait', width: 512, height: 512 } satisfies PhotoMakerParams;

describe('task parameters', () => {
  it('take null for an optional field left unset, as the official clients send it, at any depth', () => {
    void runware.photoMaker({ ...maker, style: null, strength: null, steps: null });
    void runware.imageInference({ model: 'runware:101@1', positivePrompt: 'x', seed: null, safety: { mode: null } });
    expectTypeOf<{ style: null }>().toExtend<Partial<PhotoMakerParams>>();
  });

  it('keep a required field required: null is not a value for it', () => {
    // @ts-expect-error width is required
    void runware.photoMaker({ ...maker, width: null });
    // @ts-expect-error a model is required
    expectTypeOf<{ model: null; positivePrompt: string }>().toExtend<ImageInferenceParams>();
  });

  it('take a seed as a number or, past 2^53 − 1, as a BigInt', () => {
    void runware.imageInference({ model: 'runware:101@1', positivePrompt: 'x', seed: 9223372036854775807n });
    void runware.videoInference({ model: 'klingai:5@3', positivePrompt: 'x', seed: 42 });
    expectTypeOf<PhotoMakerParams['seed']>().toEqualTypeOf<number | bigint | null | undefined>();
    // @ts-expect-error a seed is not a string
    void runware.imageInference({ model: 'runware:101@1', positivePrompt: 'x', seed: '42' });
  });
});

describe('a media source of the user’s own', () => {
  it('is typed by the MEDIA_SOURCE key, a value of the root entry, and taken as a media input', () => {
    const source = { [MEDIA_SOURCE]: () => Promise.resolve({ bytes: new Uint8Array(4), type: 'image/png' }) } satisfies MediaSource;
    void runware.upscale({ inputImage: source, upscaleFactor: 2 });
    expectTypeOf(MEDIA_SOURCE).toBeSymbol();
  });
});

describe('dryRun', () => {
  it('takes the request options that mean something for one priced answer: not settled', () => {
    void runware.dryRun('imageInference', { model: 'runware:101@1', positivePrompt: 'x' }, { timeout: 5000 });
    // @ts-expect-error a dry run resolves its one answer, never outcomes
    void runware.dryRun('imageInference', { model: 'runware:101@1', positivePrompt: 'x' }, { settled: true });
  });
});

describe('attach', () => {
  it('takes none of the request options it refuses at run time (taskUUID, retryFailed, strictParams)', () => {
    const uuid = '9da1a4ad-c3de-4470-905d-5be5c042f98a';
    void runware.attach(uuid, { taskType: 'videoInference', settled: true, timeout: 60_000, expectedDuration: 30_000 });
    // @ts-expect-error refused at run time: nothing is checked when attaching
    void runware.attach(uuid, { taskType: 'videoInference', strictParams: true });
    // @ts-expect-error refused at run time: the task was submitted before
    void runware.attach$(uuid, { taskType: 'videoInference', retryFailed: true });
  });
});

describe('the members every client has', () => {
  const uuid = '9da1a4ad-c3de-4470-905d-5be5c042f98a';

  it('type getResponse by the task type given, and as records without one', () => {
    expectTypeOf(runware.getResponse(uuid, { taskType: 'videoInference' })).toEqualTypeOf<Promise<TaskStatus<VideoInferenceResult>>>();
    expectTypeOf(runware.getResponse(uuid, { taskType: 'video' })).toEqualTypeOf<Promise<TaskStatus<VideoInferenceResult>>>();
    expectTypeOf(runware.getResponse(uuid)).toEqualTypeOf<Promise<TaskStatus<Readonly<Record<string, unknown>>>>>();
    expectTypeOf(runware.getResponse$(uuid, { taskType: 'videoInference' })).toEqualTypeOf<Observable<TaskEvent<VideoInferenceResult>>>();
    expectTypeOf<TaskStatus<VideoInferenceResult>['results']>().toEqualTypeOf<readonly VideoInferenceResult[]>();
  });

  it('type dryRun’s answer, the connection and its state', () => {
    expectTypeOf(runware.dryRun('image', { model: 'runware:101@1', positivePrompt: 'x' })).toEqualTypeOf<Promise<DryRunResult>>();
    // @ts-expect-error a dry run names a task of the client
    void runware.dryRun('somethingNew', {});
    expectTypeOf(runware.connect()).toEqualTypeOf<Promise<void>>();
    expectTypeOf(runware.disconnect()).toEqualTypeOf<Promise<void>>();
    expectTypeOf(runware.state$).toEqualTypeOf<Observable<ConnectionState>>();
  });
});

describe('a streamed textInference', () => {
  it('types its partial items as pieces of the answer and its result as the whole text', () => {
    const events = runware.textInference$({ model: 'google:gemma@4-31b', messages: [{ role: 'user', content: 'Hi' }], deliveryMethod: 'stream' });
    expectTypeOf(events).toEqualTypeOf<Observable<TaskEvent<TextInferenceResult, TextInferenceDelta>>>();
    expectTypeOf<TextInferenceDelta['delta']>().toEqualTypeOf<{ readonly text?: string; readonly reasoningContent?: string }>();
    expectTypeOf<TextInferenceParams['deliveryMethod']>().toEqualTypeOf<'sync' | 'async' | 'stream' | null | undefined>();
    // @ts-expect-error only textInference streams
    void runware.imageInference({ model: 'runware:101@1', positivePrompt: 'x', deliveryMethod: 'stream' });
  });
});

describe('the simulator’s media status', () => {
  it('names each video format and whether it is real, beside the MP4 status of `videos`', () => {
    expectTypeOf<SimulatorMedia['videoFormats']>().toEqualTypeOf<Readonly<Record<'MP4' | 'WEBM' | 'MOV', 'real' | 'placeholder'>>>();
    expectTypeOf<SimulatorMedia['videos']>().toEqualTypeOf<'real' | 'placeholder'>();
  });
});
