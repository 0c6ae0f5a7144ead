import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import root from '../../vitest.config.js';

/*
 * `npm run test:live`: the smoke suite against the real Runware API, with RUNWARE_API_KEY set
 * (and RUNWARE_URL to point it elsewhere, e.g. at a simulator started with --api-key). Its files
 * end in `.live.ts`, so the default `vitest run` (and `npm test`) never picks them up.
 */
export default defineConfig({
  root: fileURLToPath(new URL('../../', import.meta.url)),
  ...(root.resolve === undefined ? {} : { resolve: root.resolve }),
  test: {
    include: ['test/live/**/*.live.ts'],
    environment: 'node',
    // Real generations take their time; a video can take minutes.
    testTimeout: 600_000,
    hookTimeout: 60_000,
    // One request at a time, in order: the output reads as a transcript, and nothing runs twice.
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
