import type { Observable } from 'rxjs';
import * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import type { Results, RunwareClient, RunwareError, SettledResult, SettledResults, SocketLike, TaskEvent, TaskOptions, TaskParams, TaskResult, WebSocketConstructor } from 'runware-rx';
import type {
  CaptionResult,
  ImageInferenceParams,
  ImageInferenceResult,
  ImageUploadResult,
  MediaStorageResult,
  PromptEnhanceResult,
  UpscaleResult,
  VideoInferenceParams,
  VideoInferenceResult,
} from 'runware-rx/tasks';
import { createRunware, createRunwareClient, raw, withExtraFields } from 'runware-rx';
import { fromFile } from 'runware-rx/node';
import { defineTask, imageInference, outputUUID } from 'runware-rx/tasks';

declare const runware: RunwareClient;
declare const flag: boolean;
const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse' } satisfies ImageInferenceParams;
const video = { model: 'klingai:5@3', positivePrompt: 'waves', duration: 5 } satisfies VideoInferenceParams;

describe('the client derived from the task registry', () => {
  it('is what createRunware returns', () => {
    expectTypeOf(createRunware()).toEqualTypeOf<RunwareClient>();
  });

  it('has a Promise method and a stream twin for every name of every task', () => {
    expectTypeOf(runware.imageInference(image)).toEqualTypeOf<Promise<Results<ImageInferenceResult>>>();
    expectTypeOf(runware.image(image)).toEqualTypeOf<Promise<Results<ImageInferenceResult>>>();
    expectTypeOf(runware.requestImages(image)).toEqualTypeOf<Promise<Results<ImageInferenceResult>>>();
    expectTypeOf(runware.imageInference$(image)).toEqualTypeOf<Observable<TaskEvent<ImageInferenceResult>>>();
    expectTypeOf(runware.image$(image)).toEqualTypeOf<Observable<TaskEvent<ImageInferenceResult>>>();
    expectTypeOf(runware.videoInference(video)).toEqualTypeOf<Promise<Results<VideoInferenceResult>>>();
    expectTypeOf(runware.video$(video)).toEqualTypeOf<Observable<TaskEvent<VideoInferenceResult>>>();
  });

  it('takes each task its own parameters, typos being compile errors', () => {
    expectTypeOf(runware.imageInference).parameter(0).toEqualTypeOf<ImageInferenceParams>();
    expectTypeOf(runware.videoInference$).parameter(0).toEqualTypeOf<VideoInferenceParams>();
    // @ts-expect-error a misspelt field
    void runware.imageInference({ ...image, widht: 512 });
    // @ts-expect-error a video needs a model
    void runware.video({ positivePrompt: 'x', duration: 5 });
  });

  it('has no method for a task it does not know', () => {
    // @ts-expect-error no such task
    void runware.imageUpscaleX;
  });
});

describe('settled', () => {
  it('resolves outcomes when true, results when false or absent, and either when only a boolean', () => {
    expectTypeOf(runware.imageInference(image, { settled: true })).toEqualTypeOf<Promise<SettledResults<ImageInferenceResult>>>();
    expectTypeOf(runware.imageInference(image, { settled: false })).toEqualTypeOf<Promise<Results<ImageInferenceResult>>>();
    expectTypeOf(runware.imageInference(image, {})).toEqualTypeOf<Promise<Results<ImageInferenceResult>>>();
    expectTypeOf(runware.imageInference(image, { settled: flag })).toEqualTypeOf<Promise<Results<ImageInferenceResult> | SettledResults<ImageInferenceResult>>>();
  });

  it('gives a rejected outcome a RunwareError', () => {
    type Rejected = Extract<SettledResult<ImageInferenceResult>, { status: 'rejected' }>;
    expectTypeOf<Rejected['reason']>().toEqualTypeOf<RunwareError>();
  });
});

describe('result items', () => {
  it('have no index signature: an unknown field is a compile error, reached through raw()', () => {
    const result = {} as ImageInferenceResult;
    expectTypeOf(result.imageURL).toEqualTypeOf<string | undefined>();
    // @ts-expect-error a misspelt field
    void result.imageUrl;
    expectTypeOf(raw(result)['inputImageUUID']).toEqualTypeOf<unknown>();
  });
});

describe('attach', () => {
  it('types results by the task type or method name, and as a record for a type it does not know', () => {
    expectTypeOf(runware.attach('id', { taskType: 'videoInference' })).toEqualTypeOf<Promise<Results<VideoInferenceResult>>>();
    expectTypeOf(runware.attach('id', { taskType: 'video' })).toEqualTypeOf<Promise<Results<VideoInferenceResult>>>();
    expectTypeOf(runware.attach('id', { taskType: 'imageInference', settled: true })).toEqualTypeOf<Promise<SettledResults<ImageInferenceResult>>>();
    expectTypeOf(runware.attach$('id', { taskType: 'somethingNew' })).toEqualTypeOf<Observable<TaskEvent<Readonly<Record<string, unknown>>>>>();
  });

  it('has the lookup types users can name', () => {
    expectTypeOf<TaskResult<'image'>>().toEqualTypeOf<ImageInferenceResult>();
    expectTypeOf<TaskParams<'videoInference'>>().toEqualTypeOf<VideoInferenceParams>();
  });
});

describe('a client of chosen tasks', () => {
  it('has the methods of those tasks only', () => {
    const small = createRunwareClient({ apiKey: 'k', tasks: [imageInference] });
    expectTypeOf(small.image(image)).toEqualTypeOf<Promise<Results<ImageInferenceResult>>>();
    // @ts-expect-error not among its tasks
    void small.videoInference;
  });

  it('types a task defined outside runware-rx, streamed partial items included', () => {
    interface Upload {
      readonly taskUUID: string;
      readonly status: 'ready';
      readonly air: string;
    }
    const upload = defineTask({
      name: 'modelUploadNext',
      aliases: ['uploadModelNext'],
      taskType: 'modelUpload',
      params: v.strictObject({ air: v.string() }),
      delivery: 'stream',
      result: { ...outputUUID<Upload>('air'), isPartial: (item) => item.status !== 'ready' },
    });
    const custom = createRunwareClient({ apiKey: 'k', tasks: [upload] });
    expectTypeOf(custom.uploadModelNext({ air: 'me:1@1' })).toEqualTypeOf<Promise<Results<Upload>>>();
    expectTypeOf(custom.modelUploadNext$).parameter(0).toEqualTypeOf<{ air: string }>();
  });
});

describe('the root entry', () => {
  it('keeps wire shapes to itself', () => {
    // @ts-expect-error wire item types are not exported
    type Item = import('runware-rx').DataItem;
    // @ts-expect-error internal attempt events are not exported from the root
    type Attempt = import('runware-rx').AttemptEvent;
    expectTypeOf<Item | Attempt>().toBeAny();
  });
});

describe('the image tools', () => {
  it('have typed methods under their names and the official SDKs’ names', () => {
    expectTypeOf(runware.upscale({ inputImage: 'https://x/y.png', upscaleFactor: 4 })).toEqualTypeOf<Promise<Results<UpscaleResult>>>();
    expectTypeOf(runware.imageUpscale).toEqualTypeOf(runware.upscale);
    expectTypeOf(runware.imageBackgroundRemoval).toEqualTypeOf(runware.removeBackground);
    expectTypeOf(runware.imageCaption({ inputImage: 'x' })).toEqualTypeOf<Promise<Results<CaptionResult>>>();
    expectTypeOf(runware.enhancePrompt({ prompt: 'a cat' })).toEqualTypeOf<Promise<Results<PromptEnhanceResult>>>();
    expectTypeOf(runware.uploadImage({ image: 'x' })).toEqualTypeOf<Promise<Results<ImageUploadResult>>>();
    expectTypeOf(runware.uploadMedia$({ media: 'x' })).toEqualTypeOf<Observable<TaskEvent<MediaStorageResult>>>();
    expectTypeOf(runware.requestImages).toEqualTypeOf(runware.imageInference);
  });

  it('take media as strings, bytes or files, and nothing else', () => {
    void runware.upscale({ inputImage: new Uint8Array(1) });
    void runware.upscale({ inputImage: new Blob([]) });
    void runware.upscale({ inputImage: fromFile('photo.png') });
    void runware.removeBackground({ inputs: { image: new ArrayBuffer(1) } });
    // @ts-expect-error a number is no media input
    void runware.upscale({ inputImage: 42 });
  });

  it('keep a typo a compile error, and let withExtraFields add fields the types do not know, without a cast', () => {
    // @ts-expect-error a misspelt field
    void runware.upscale({ inputImage: 'x', upscaleFacter: 2 });
    const extended = withExtraFields({ inputImage: 'x', upscaleFactor: 2 }, { brandNew: true });
    expectTypeOf(extended).toEqualTypeOf<{ inputImage: string; upscaleFactor: number }>();
    void runware.upscale(extended);
  });
});

describe('polling', () => {
  it('gives status events the server’s progress and runware-rx’s estimate as two fields, both optional numbers', () => {
    type Status = Extract<TaskEvent<VideoInferenceResult>, { type: 'status' }>;
    expectTypeOf<Status['progress']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Status['estimatedProgress']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Status>().toHaveProperty('estimatedProgress');
  });

  it('takes expectedDuration in milliseconds as a request option of both forms, and attach', () => {
    expectTypeOf(runware.videoInference(video, { expectedDuration: 30_000 })).toEqualTypeOf<Promise<Results<VideoInferenceResult>>>();
    expectTypeOf(runware.videoInference$(video, { expectedDuration: 30_000 })).toEqualTypeOf<Observable<TaskEvent<VideoInferenceResult>>>();
    expectTypeOf<TaskOptions['expectedDuration']>().toEqualTypeOf<number | undefined>();
    expectTypeOf(runware.attach$('8c6f3a52-6f43-4c7b-9a0e-3a2b1c0d9e8f', { taskType: 'videoInference', expectedDuration: 30_000 })).toEqualTypeOf<Observable<TaskEvent<VideoInferenceResult>>>();
    // @ts-expect-error a duration is a number of ms, not words
    void runware.videoInference(video, { expectedDuration: '30 s' });
  });
});

describe('the WebSocket option', () => {
  it('takes the browser WebSocket, ws and a subclass of ws, as SocketLike constructors', async () => {
    const { default: NodeWebSocket } = await import('ws');
    class Subclass extends NodeWebSocket {}
    expectTypeOf(globalThis.WebSocket).toMatchTypeOf<WebSocketConstructor>();
    expectTypeOf(NodeWebSocket).toMatchTypeOf<WebSocketConstructor>();
    expectTypeOf(Subclass).toMatchTypeOf<WebSocketConstructor>();
    expectTypeOf<SocketLike['addEventListener']>().toBeFunction();
  });
});
