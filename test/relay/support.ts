import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterEach } from 'vitest';
import WebSocket from 'ws';
import type { LogRecord, RunwareClient, RunwareOptions } from 'runware-rx';
import { createRunware } from 'runware-rx';
import type { Relay, RelayOptions, RelayPolicy, RelayStore } from 'runware-rx/relay';
import { createRelay } from 'runware-rx/relay';
import type { Simulator, SimulatorOptions } from 'runware-rx/simulator';
import { startSimulator } from 'runware-rx/simulator';
import type { RawClient } from '../simulator/support/raw-client.js';
import { openClient } from '../simulator/support/raw-client.js';

/** The real key: 32 letters and digits, as Runware's are. The simulator accepts no other. */
export const REAL_KEY = 'RwLiveKey0123456789abcdefGHIJKLM';

/** Two users' tokens and policies, and a token the application refuses as expired. */
export const TOKENS: Readonly<Record<string, RelayPolicy>> = {
  'alice-session-token': { userId: 'alice' },
  'bob-session-token': { userId: 'bob' },
};
export const EXPIRED_TOKEN = 'alice-expired-token';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Every frame a browser socket received, as text, across every socket of the test. */
export const browserFrames: string[] = [];
afterEach(() => {
  browserFrames.length = 0;
});

/** A `ws` WebSocket that records every frame it receives (what the relay sent to a browser). */
export class RecordingWebSocket extends WebSocket {
  constructor(url: string) {
    super(url, undefined, { perMessageDeflate: false });
    this.on('message', (data) => browserFrames.push(String(data)));
  }
}

export interface RelayServer {
  readonly url: string;
  readonly relay: Relay;
  readonly store: RelayStore | undefined;
  /** Relay log records. */
  readonly logged: LogRecord[];
  /** Replaces the relay by a new instance (same server, same store), as a restart does. */
  restart(): Promise<Relay>;
}

/** Starts a simulator that accepts only the real key; closed after the test. */
export async function realKeySimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const started = await startSimulator({ media: false, apiKey: REAL_KEY, ...options });
  cleanups.push(() => started.close());
  return started;
}

/**
 * A Fastify server with a relay on /runware in front of a simulator; closed after the test.
 *
 * @param target The simulator.
 * @param options Relay options over the test defaults (tokens from TOKENS, fast timings).
 */
export async function relayServer(target: { readonly url: string }, options: Partial<RelayOptions> = {}): Promise<RelayServer> {
  const app = Fastify();
  app.get('/health', () => ({ ok: true }));
  const logged: LogRecord[] = [];
  const make = (): Relay =>
    createRelay({
      apiKey: REAL_KEY,
      url: target.url,
      authorize: ({ token }) => (token === EXPIRED_TOKEN ? { refused: true, code: 'tokenExpired', message: 'The session has expired.' } : TOKENS[token]),
      logger: (record) => logged.push(record),
      retryDelay: 50,
      ...options,
    });
  let relay = make();
  let detach = relay.attach(app.server, { path: '/runware' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const server: RelayServer = {
    url: `ws://127.0.0.1:${port}/runware`,
    get relay() {
      return relay;
    },
    store: options.store,
    logged,
    async restart() {
      detach();
      await relay.close();
      relay = make();
      detach = relay.attach(app.server, { path: '/runware' });
      return relay;
    },
  };
  cleanups.push(async () => {
    await relay.close();
    await app.close();
  });
  return server;
}

/** A runware-rx client of the relay, as a page would make it (recording what it receives); disconnected after the test. */
export function browser(server: RelayServer, token: RunwareOptions['apiKey'], options: RunwareOptions = {}): RunwareClient {
  const client = createRunware({ apiKey: token, url: server.url, WebSocket: RecordingWebSocket, pollInterval: 100, retryDelay: 50, ...options });
  cleanups.push(() => client.disconnect());
  return client;
}

/** A bare socket to the relay for the attacker's tests (frames recorded); closed after the test. */
export async function rawBrowser(server: RelayServer): Promise<RawClient> {
  const client = await openClient(server.url);
  client.socket.on('message', (data) => browserFrames.push(String(data)));
  cleanups.push(() => client.close());
  return client;
}

export const IMAGE = { model: 'runware:101@1', positivePrompt: 'a lighthouse at night', width: 512, height: 512 };
export const VIDEO = { model: 'klingai:5@3', positivePrompt: 'waves at dusk', duration: 5 };
