/**
 * The official legacy SDK, `@runware/sdk-js` 1.3.2. In Node its server class (`RunwareServer`)
 * dials `url` with `ws` in its constructor; `ensureConnection()` waits until it holds a session
 * (constructed as in test/simulator/interop-legacy-sdk.test.ts). Its own reconnection is turned off
 * so that a closed client stays closed between measurements.
 */
import { RunwareServer } from '@runware/sdk-js';
import type { BenchClient, ClientFactory } from './types.js';
import { IMAGE_PARAMS, VIDEO_PARAMS } from './types.js';

export const createOfficialClient: ClientFactory = ({ url, apiKey }): BenchClient => {
  let runware: RunwareServer | undefined;
  const client = (): RunwareServer => {
    if (runware === undefined) throw new Error('official client used before connect()');
    return runware;
  };
  return {
    connect: async () => {
      runware = new RunwareServer({ apiKey, url, shouldReconnect: false });
      await runware.ensureConnection();
    },
    image: async () => (await client().requestImages({ ...IMAGE_PARAMS })) ?? [],
    video: async (request) => {
      if (request !== undefined) throw new Error('the official client is not run with chosen videos');
      const videos = await client().videoInference({ ...VIDEO_PARAMS });
      return Array.isArray(videos) ? videos : [videos];
    },
    close: async () => {
      await runware?.disconnect();
    },
  };
};
