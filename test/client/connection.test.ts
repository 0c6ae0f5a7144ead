import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ConnectionState, RunwareOptions } from 'runware-rx';
import { DEFAULT_URL, createRunware } from 'runware-rx';
import { client, received, simulator } from '../support/simulator.js';
import { waitFor } from '../support/wait-for.js';

const image = { model: 'runware:101@1', positivePrompt: 'a red fox in snow', width: 256, height: 256 };

describe('client connection against the simulator', () => {
  it('rejects a wrong key with the server auth error after one connection attempt', async () => {
    const sim = await simulator({ apiKey: 'the-right-key' });
    const runware = client(sim, { apiKey: 'the-wrong-key', authTimeout: 30_000 });
    const error: unknown = await runware.connect().catch((failure: unknown) => failure);
    // serverCode proves the server answered: the rejection is not the 30 s auth deadline.
    expect(error).toMatchObject({ code: 'auth', serverCode: 'invalidApiKey', retryable: false });
    expect(String((error as Error).message)).not.toContain('the-wrong-key');
    await expect(runware.imageInference(image)).rejects.toMatchObject({ code: 'auth' });
    expect(received(sim, 'authentication')).toBe(2);
    expect(received(sim, 'imageInference')).toBe(0);
  });

  it('fails connect() with a TaskTimeoutError of phase auth when the server does not acknowledge the key within authTimeout', async () => {
    // Every authentication is answered 20 s late: the socket opens, the key goes out, nothing comes back in time.
    const sim = await simulator({ media: false, faults: { authDelayRate: 1, authDelayMs: 20_000 } });
    const runware = client(sim, { authTimeout: 300 });
    const states: ConnectionState['type'][] = [];
    runware.state$.subscribe((state) => states.push(state.type));
    await expect(runware.connect()).rejects.toMatchObject({ name: 'TaskTimeoutError', code: 'timeout', phase: 'auth', timeoutMs: 300, retryable: true });
    expect(states).toEqual(['idle', 'connecting', 'authenticating', 'closed']);
    // The simulator took the key and held its answer back.
    expect(sim.faults.counts().authDelay).toBe(1);
  });

  it('counts a key function that answers late against the same authentication deadline', async () => {
    const sim = await simulator({ media: false });
    let answer: ((key: string) => void) | undefined;
    const runware = client(sim, { authTimeout: 300, apiKey: () => new Promise<string>((resolve) => (answer = resolve)) });
    await expect(runware.connect()).rejects.toMatchObject({ code: 'timeout', phase: 'auth', timeoutMs: 300 });
    answer?.('test-key');
    expect(received(sim, 'authentication')).toBe(0);
  });

  it('names the URL when connect() cannot open a socket there, as a request does', async () => {
    // An HTTP server that answers every request, the upgrade too, with 404: what ws reports says only "404".
    const server = createServer((_request, response) => response.writeHead(404).end());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    try {
      const runware = createRunware({ apiKey: 'test-key-0001', url });
      const failure: unknown = await runware.connect().catch((error: unknown) => error);
      // Otherwise the socket's error as it was: connect() may be called again.
      expect(failure).toMatchObject({ code: 'connection', retryable: true, message: `Could not connect to ${url}: WebSocket error: Unexpected server response: 404` });
      const request: unknown = await runware.imageInference(image).catch((error: unknown) => error);
      // A request is not retried: it would meet the same refusal.
      expect(request).toMatchObject({ code: 'connection', retryable: false, message: expect.stringContaining(`Could not connect to ${url}: `) });
      await runware.disconnect();
    } finally {
      server.close();
    }
  });

  it('opens the connection itself on the first request, and reports its states', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim);
    const states: ConnectionState['type'][] = [];
    runware.state$.subscribe((state) => states.push(state.type));
    const [result] = await runware.imageInference(image);
    expect(result?.imageURL).toBeDefined();
    expect(states).toEqual(['idle', 'connecting', 'authenticating', 'open']);
  });

  it('closes its socket on disconnect and can connect again afterwards', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim);
    await runware.connect();
    expect(sim.stats().openSockets).toBe(1);
    await runware.disconnect();
    await waitFor(() => sim.stats().openSockets === 0);
    await runware.connect();
    await waitFor(() => sim.stats().openSockets === 1);
  });

  it('fails tasks in flight with aborted when disconnected', async () => {
    const sim = await simulator({ media: false, videoReadyAfterMs: 60_000 });
    const runware = client(sim);
    const pending = runware.videoInference({ model: 'klingai:5@3', positivePrompt: 'a long video', duration: 5 });
    await waitFor(() => received(sim, 'videoInference') === 1);
    // Listen before disconnecting: the rejection comes while disconnect() is still closing the socket.
    const outcome = expect(pending).rejects.toMatchObject({ code: 'aborted' });
    await runware.disconnect();
    await outcome;
  });
});

describe('createRunware options', () => {
  const withEnvironment = (name: string, value: string | undefined, run: () => void): void => {
    const previous = process.env[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
    try {
      run();
    } finally {
      if (previous === undefined) delete process.env[name];
      else process.env[name] = previous;
    }
  };

  it('refuses to be created without an API key, naming apiKey', () => {
    withEnvironment('RUNWARE_API_KEY', undefined, () => {
      expect(() => createRunware()).toThrowError(expect.objectContaining({ code: 'validation', parameter: 'apiKey' }) as Error);
    });
  });

  it('reads only the options object\'s own properties, and takes null from plain JavaScript as no options', () => {
    withEnvironment('RUNWARE_API_KEY', undefined, () => {
      expect(() => createRunware(null as never)).toThrowError(expect.objectContaining({ code: 'validation', parameter: 'apiKey' }) as Error);
      const inherited = Object.create({ apiKey: 'k', url: 'ws://127.0.0.1:1/v1' }) as RunwareOptions;
      expect(() => createRunware(inherited)).toThrowError(expect.objectContaining({ code: 'validation', parameter: 'apiKey' }) as Error);
    });
  });

  it('takes the key from RUNWARE_API_KEY and the endpoint from RUNWARE_URL', () => {
    withEnvironment('RUNWARE_API_KEY', 'from-env', () => {
      withEnvironment('RUNWARE_URL', 'ws://127.0.0.1:1/v1', () => expect(() => createRunware()).not.toThrow());
    });
  });

  it('refuses a URL that is not ws:// or wss://, naming url', () => {
    expect(() => createRunware({ apiKey: 'k', url: 'https://api.runware.ai/v1' })).toThrowError(
      expect.objectContaining({ parameter: 'url' }) as Error,
    );
    expect(() => createRunware({ apiKey: 'k', url: 'not a url' })).toThrowError(expect.objectContaining({ parameter: 'url' }) as Error);
  });

  it('says in words what is wrong with a url, one problem at a time', () => {
    const problem = (url: unknown): string => {
      try {
        createRunware({ apiKey: 'k', url: url as string });
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(problem(42)).toMatch(/url must be a string/);
    expect(problem('https://api.runware.ai/v1')).toMatch(/url must start with ws:\/\/ or wss:\/\//);
    expect(problem('not a url')).toMatch(/url must start with ws:\/\/ or wss:\/\//);
    expect(problem('ws://')).toMatch(/url must be a valid URL/);
    expect(problem('ws://[::1/v1')).toMatch(/url must be a valid URL/);
    expect(problem('WSS://ws-api.runware.ai/v1')).toBe('accepted');
  });

  it('takes a key with spaces around it trimmed, and refuses one of spaces only', async () => {
    const sim = await simulator({ apiKey: 'the-right-key' });
    const runware = client(sim, { apiKey: '  the-right-key\n' });
    await expect(runware.connect()).resolves.toBeUndefined();
    await runware.disconnect();
    expect(() => createRunware({ apiKey: '   ', url: 'ws://127.0.0.1:1/v1' })).toThrowError(expect.objectContaining({ code: 'validation', parameter: 'apiKey' }) as Error);
  });

  it('refuses negative timings and unknown options', () => {
    expect(() => createRunware({ apiKey: 'k', timeout: -1 })).toThrowError(expect.objectContaining({ parameter: 'timeout' }) as Error);
    expect(() => createRunware({ apiKey: 'k', retries: 3 } as never)).toThrowError(expect.objectContaining({ parameter: 'retries' }) as Error);
  });

  it('defaults to the Runware endpoint', () => {
    expect(DEFAULT_URL).toBe('wss://ws-api.runware.ai/v1');
  });
});
