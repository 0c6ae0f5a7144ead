/*
 * Every example, once: what `npm run example -- <name>` runs, what the README's Examples table
 * lists (test/docs/examples-table.test.ts keeps the two equal) and which test exercises it.
 */

/** One runnable example. */
export interface ExampleEntry {
  /** The name `npm run example -- <name>` takes. */
  readonly name: string;
  /** The pattern it shows, as the README's table says it. */
  readonly pattern: string;
  /** The file to run, from the repository's root. */
  readonly file: string;
  /** What to type after `npm run example -- <name>`, if anything. */
  readonly args?: string;
  /**
   * Whether the example starts its own embedded simulator when RUNWARE_API_KEY and RUNWARE_URL
   * are unset (examples/support/target.ts). The README's quick start does not, since it is the
   * code a user copies: `npm run example` starts one for it.
   */
  readonly embedsSimulator: boolean;
  /** The test that runs it. */
  readonly test: string;
}

export const examples: readonly ExampleEntry[] = [
  { name: 'quick-start', pattern: 'Quick start', file: 'examples/quick-start.ts', embedsSimulator: false, test: 'test/examples/examples.test.ts' },
  {
    name: 'configuration',
    pattern: 'Configuration: `connect()`/`disconnect()`, `timeout`, `maxRetries`, `retryDelay`, a custom URL, the key from `RUNWARE_API_KEY`',
    file: 'examples/configuration.ts',
    embedsSimulator: true,
    test: 'test/examples/configuration.test.ts',
  },
  {
    name: 'text-stream',
    pattern: 'A text answer printed as it is written: `textInference` with `deliveryMethod: "stream"`, piece by piece',
    file: 'examples/text-stream.ts',
    args: '["a question"]',
    embedsSimulator: false,
    test: 'test/examples/examples.test.ts',
  },
  { name: 'video', pattern: 'Video with automatic polling; several videos at once, with progress', file: 'examples/video.ts', embedsSimulator: true, test: 'test/examples/video.test.ts' },
  {
    name: 'concurrent',
    pattern: 'Concurrent operations on one connection: image, `imageUpscale` ×4 and `imageBackgroundRemoval` of a local file, with `Promise.all` and `forkJoin`',
    file: 'examples/concurrent.ts',
    args: '[photo.jpg]',
    embedsSimulator: true,
    test: 'test/examples/concurrent.test.ts',
  },
  {
    name: 'errors',
    pattern: 'Error handling: branching on `code`, logging the taskUUID; a batch’s partial failure (`settled: true`, `Promise.allSettled`)',
    file: 'examples/errors.ts',
    embedsSimulator: true,
    test: 'test/examples/errors.test.ts',
  },
  {
    name: 'web-api',
    pattern: 'A web API (Fastify): connect at start-up, `POST /generate-image` → `{ image_url }`, errors as HTTP statuses, clean shutdown',
    file: 'examples/web-api/main.ts',
    args: '[--port 3000] [--timeout 60000]',
    embedsSimulator: true,
    test: 'test/examples/web-api.test.ts',
  },
  {
    name: 'batch-folder',
    pattern: 'A folder of photos through background removal, 10 at a time (`mergeMap`), with a progress bar and a report',
    file: 'examples/batch-folder/main.ts',
    args: '<folder>',
    embedsSimulator: true,
    test: 'test/examples/batch-folder.test.ts',
  },
  {
    name: 'typed-pipeline',
    pattern: 'A typed pipeline: generate, then upscale the first image by its URL, types inferred',
    file: 'examples/typed-pipeline/main.ts',
    embedsSimulator: true,
    test: 'test/examples/typed-pipeline.test.ts',
  },
  {
    name: 'prompt-stream',
    pattern: 'RxJS for frontends: prompts debounced, `switchMap` to `image$`, the previous request cancelled; prompts are read from stdin, one per line (type them, or pipe them in)',
    file: 'examples/prompt-stream/main.ts',
    embedsSimulator: true,
    test: 'test/examples/prompt-stream.test.ts',
  },
  {
    name: 'queue',
    pattern: 'When one machine is not enough: the folder job as a BullMQ queue with worker processes that survive a crash; it uses the Redis of `REDIS_URL`, else starts `redis-server` (Debian: `apt-get install -y redis-server`)',
    file: 'examples/queue/main.ts',
    args: '<folder> [--workers 3]',
    embedsSimulator: true,
    test: 'test/examples/queue.test.ts',
  },
  { name: 'demo', pattern: 'The demo: images and a video at once, live progress, files in `./out`', file: 'examples/demo.ts', embedsSimulator: true, test: 'test/examples/examples.test.ts' },
  {
    name: 'relay',
    pattern: 'A page without the API key: `runware-rx/relay` in a Fastify app',
    file: 'examples/relay/server.ts',
    args: '[--port 3000]',
    embedsSimulator: true,
    test: 'test/examples/relay-example.test.ts',
  },
];
