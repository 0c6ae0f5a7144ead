import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterEach } from 'vitest';
import WebSocket from 'ws';
import type { LogRecord, RunwareClient, RunwareOptions } from 'runware-rx';
import { createRunware } from 'runware-rx';
import type { ClaimKind, MemoryStoreOptions, OwnerClaim, Relay, RelayOptions, RelayPolicy, RelayStore } from 'runware-rx/relay';
import { createMemoryStore, createRelay } from 'runware-rx/relay';
import type { Simulator, SimulatorOptions } from 'runware-rx/simulator';
import { startSimulator } from 'runware-rx/simulator';
import { routeStreamedText } from '../../examples/relay/streamed-text-route.js';
import type { Item, RawClient } from '../simulator/support/raw-client.js';
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
  /** Resolves with the first log record (already written, or to come) that matches; rejects after `timeoutMs`. */
  logOf(matches: (record: LogRecord) => boolean, timeoutMs?: number): Promise<LogRecord>;
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
  // A page's fetch keeps spare connections open (keep-alive, some never used): they are closed with the server.
  const app = Fastify({ forceCloseConnections: true });
  app.get('/health', () => ({ ok: true }));
  const logged: LogRecord[] = [];
  const waiters = new Set<() => void>();
  const make = (): Relay =>
    createRelay({
      apiKey: REAL_KEY,
      url: target.url,
      authorize: ({ token }) => (token === EXPIRED_TOKEN ? { refused: true, code: 'tokenExpired', message: 'The session has expired.' } : TOKENS[token]),
      logger: (record) => {
        logged.push(record);
        for (const wake of [...waiters]) wake();
      },
      retryDelay: 50,
      ...options,
    });
  let relay = make();
  let detach = relay.attach(app.server, { path: '/runware' });
  // Streamed text comes over HTTP on the socket's path, mounted as the example mounts it, to the
  // relay of the moment: restart() replaces it behind the one route Fastify lets an app register.
  routeStreamedText(app, '/runware', { handleRequest: (request, response) => relay.handleRequest(request, response) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const server: RelayServer = {
    url: `ws://127.0.0.1:${port}/runware`,
    get relay() {
      return relay;
    },
    store: options.store,
    logged,
    logOf: (matches, timeoutMs = 10_000) =>
      new Promise<LogRecord>((resolve, reject) => {
        const check = (): void => {
          const found = logged.find(matches);
          if (found === undefined) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no such log record within ${timeoutMs} ms; events so far: ${logged.map((record) => record.event).join(' ')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
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

/** One call a {@link spyStore} saw. */
export interface StoreCall {
  readonly method: keyof RelayStore;
  readonly args: readonly unknown[];
}

/** A memory store that records its calls, can be made to fail or to wait, and can lose a claim (as expiry or a lost store would). */
export interface SpyStore extends RelayStore {
  readonly calls: StoreCall[];
  /** Methods that reject from now on. */
  readonly failing: Set<keyof RelayStore>;
  /** From now on the claim look-ups (`holderOf`, `holdersOf`, `claim`) wait until `open()`. */
  gate(): { readonly waiting: () => number; open(): void };
  /** From now on the calls of `method` (those whose arguments `matches`) never answer, as a store that hangs. */
  stall(method: keyof RelayStore, matches?: (args: readonly unknown[]) => boolean): void;
  /** Loses the claim on a UUID, whoever holds it. */
  forget(uuid: string): void;
  /** Sets the claim on a UUID outright, as another relay instance sharing the store could have. */
  force(uuid: string, claim: OwnerClaim): void;
}

const GATED = new Set<keyof RelayStore>(['holderOf', 'holdersOf', 'claim']);

/**
 * A spying store over {@link createMemoryStore}. Claims that were lost or forced live in an
 * overlay (by UUID, whatever the namespace: the tests' UUIDs are all distinct).
 *
 * @param options The memory store's bounds.
 */
export function spyStore(options: MemoryStoreOptions = {}): SpyStore {
  const base = createMemoryStore(options);
  const overlay = new Map<string, OwnerClaim | undefined>();
  const calls: StoreCall[] = [];
  const failing = new Set<keyof RelayStore>();
  const stalls: { readonly method: keyof RelayStore; readonly matches: (args: readonly unknown[]) => boolean }[] = [];
  let gated: (() => void)[] | undefined;
  const call = <T>(method: keyof RelayStore, args: unknown[], run: () => T | Promise<T>): T | Promise<T> => {
    calls.push({ method, args });
    if (failing.has(method)) return Promise.reject(new Error(`store down (${method})`));
    if (stalls.some((stall) => stall.method === method && stall.matches(args))) return new Promise<T>(() => undefined);
    const waiting = gated;
    if (waiting !== undefined && GATED.has(method)) return new Promise<T>((resolve, reject) => waiting.push(() => Promise.resolve().then(run).then(resolve, reject)));
    return run();
  };
  const holder = (uuid: string, kind: ClaimKind) => (overlay.has(uuid) ? overlay.get(uuid) : base.holderOf(uuid, kind));
  return {
    calls,
    failing,
    gate() {
      const waiting: (() => void)[] = [];
      gated = waiting;
      return {
        waiting: () => waiting.length,
        open() {
          gated = undefined;
          for (const release of waiting.splice(0)) release();
        },
      };
    },
    stall: (method, matches = () => true) => void stalls.push({ method, matches }),
    forget: (uuid) => overlay.set(uuid, undefined),
    force: (uuid, claim) => overlay.set(uuid, claim),
    claim: (uuid, claim, ttlMs) =>
      call('claim', [uuid, claim, ttlMs], () => {
        if (!overlay.has(uuid)) return base.claim(uuid, claim, ttlMs);
        const held = overlay.get(uuid) ?? claim;
        overlay.set(uuid, held);
        return held;
      }),
    holderOf: (uuid, kind) => call('holderOf', [uuid, kind], () => holder(uuid, kind)),
    holdersOf: (uuids, kind) => call('holdersOf', [uuids, kind], async () => Promise.all(uuids.map((uuid) => holder(uuid, kind)))),
    release: (uuid, claim) =>
      call('release', [uuid, claim], () => {
        if (!overlay.has(uuid)) return base.release(uuid, claim);
        const held = overlay.get(uuid);
        if (held?.userId === claim.userId && held.id === claim.id) overlay.set(uuid, undefined);
      }),
    getSession: (sessionUUID) => call('getSession', [sessionUUID], () => base.getSession(sessionUUID)),
    putSession: (sessionUUID, record, ttlMs) => call('putSession', [sessionUUID, record, ttlMs], () => base.putSession(sessionUUID, record, ttlMs)),
    appendFrame: (sessionUUID, frame, ttlMs) => call('appendFrame', [sessionUUID, frame, ttlMs], () => base.appendFrame(sessionUUID, frame, ttlMs)),
    takeFrames: (sessionUUID) => call('takeFrames', [sessionUUID], () => base.takeFrames(sessionUUID)),
  };
}

/**
 * Sends tasks over a raw socket and waits for what comes back naming `taskUUID` after them.
 *
 * @param client The raw browser.
 * @param taskUUID The task to wait for.
 * @param tasks The frame to send.
 * @returns The data and error items that arrived for it.
 */
export async function answerFor(client: RawClient, taskUUID: string, tasks: unknown[]): Promise<{ data: Item[]; errors: Item[] }> {
  const before = client.itemsFor(taskUUID);
  client.send(tasks);
  return client.until(() => {
    const now = client.itemsFor(taskUUID);
    return now.data.length + now.errors.length > before.data.length + before.errors.length
      ? { data: now.data.slice(before.data.length), errors: now.errors.slice(before.errors.length) }
      : undefined;
  }, 10_000);
}
