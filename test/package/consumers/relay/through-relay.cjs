/*
 * The relay as an app installs it: the packaged simulator stands for Runware, a plain Node HTTP
 * server carries the relay on /runware, and a client uses it with a session token; reports what
 * happened for the test to compare.
 */
'use strict';
const { createServer } = require('node:http');

const REAL_KEY = 'ConsumerRealKey0123456789abcdefg';

/**
 * @param {{ sdk: any, relay: any, simulator: any }} modules What the scenario loaded.
 * @returns {Promise<object>} The observations.
 */
module.exports = async function throughRelay({ sdk, relay: relayEntry, simulator }) {
  /** @type {string[]} */
  const offered = [];
  const upstream = await simulator.startSimulator({ media: false, apiKey: (key) => offered.push(key) > 0 && key === REAL_KEY });
  const relay = relayEntry.createRelay({ apiKey: REAL_KEY, url: upstream.url, authorize: ({ token }) => (token === 'consumer-token' ? { userId: 'consumer' } : undefined) });
  const server = createServer();
  relay.attach(server, { path: '/runware' });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const runware = sdk.createRunware({ apiKey: 'consumer-token', url: `ws://127.0.0.1:${server.address().port}/runware` });
  try {
    const [image] = await runware.imageInference({ model: 'runware:101@1', positivePrompt: 'through a relay', width: 512, height: 512 });
    return { imageURL: image.imageURL, upstreamSawTheRealKey: offered.map((key) => key === REAL_KEY) };
  } finally {
    await runware.disconnect();
    await relay.close();
    await new Promise((resolve) => server.close(resolve));
    await upstream.close();
  }
};
