import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { asyncScheduler } from 'rxjs';
import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import type { BrowserHandler } from './browser-contract.js';
import { CLOSE } from './browser-contract.js';
import { BrowserConnection } from './browser-connection.js';
import { ClaimsInFlight } from './claims-in-flight.js';
import { completeUpgrade } from './complete-upgrade.js';
import { TOO_MANY_SESSIONS } from './session-quota.js';
import { createHttpGate } from './http-gate.js';
import { createHttpRoute } from './http-route.js';
import { createMemoryStore } from './memory-store.js';
import type { RelayLog } from './relay-log.js';
import { createRelayLog } from './relay-log.js';
import { resolveRelayOptions } from './relay-options.js';
import { urlOf } from './request-url.js';
import type { Relay, RelayOptions } from './relay-types.js';
import type { RelayedTask } from './relayed-task.js';
import { SessionHub } from './session-hub.js';
import type { OwnerClaim, RelayStore } from './store.js';
import { StoreWrites } from './store-writes.js';
import { createTaskGate } from './task-gate.js';
import { listenForUpgrades, rejectUpgrade, takeUpgrade } from './upgrade-mounts.js';
import { createUpstreamLines } from './upstream-lines.js';
import { UserLedger } from './user-ledger.js';

/** How long a closing relay waits for a browser to answer its close before dropping the socket. */
const CLOSE_GRACE_MS = 1000;

/**
 * Creates a relay: a WebSocket endpoint for browsers that speaks the Runware protocol, so that
 * runware-rx in a page is used unchanged (`createRunware({ url: 'wss://app.example/runware',
 * apiKey: sessionToken })`), while the real API key stays on the server. Each browser presents
 * a token of the application's own as its `apiKey`; `authorize` turns it into a policy (a user
 * id and limits) or refuses it. Tasks then go to Runware over the relay's own connection, and
 * each user sees only their own tasks and media. Nothing is dialled until the first task.
 *
 * @param options The real key, `authorize`, and optional limits and store.
 * @returns The relay; mount it with `attach(server, { path })` or `handleUpgrade(...)`, and
 *   `handleRequest(...)` on POST (and OPTIONS) of the same path for streamed text.
 * @throws {ValidationError} When an option is missing or wrong.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { createRelay } from 'runware-rx/relay';
 *
 * const app = Fastify();
 * const relay = createRelay({
 *   apiKey: process.env.RUNWARE_API_KEY,
 *   authorize: async ({ token }) => {
 *     const user = await sessions.userOf(token); // your own session lookup
 *     return user === undefined ? undefined : { userId: user.id, maxInFlight: 4, maxNumberResults: 4 };
 *   },
 * });
 * relay.attach(app.server, { path: '/runware' });
 * await app.listen({ port: 3000 });
 * ```
 */
export function createRelay(options: RelayOptions): Relay {
  const resolved = resolveRelayOptions(options);
  const { apiKey } = resolved;
  const store: RelayStore = options.store ?? createMemoryStore();
  const log: RelayLog | undefined = createRelayLog(options.logger, apiKey);
  const ledger = new UserLedger();
  // Every store write nobody waits for as it happens, the sessions' and the claims', which close waits for.
  const writes = new StoreWrites(log);
  const claims = new ClaimsInFlight(store, writes, resolved.ownershipTtlMs);
  const sessions = new SessionHub({ store, apiKey, bufferMs: resolved.sessionBufferMs, maxHeldBytes: resolved.maxBufferedBytes, writes });
  const charged = new WeakSet<RelayedTask>();
  const browsers = new Set<BrowserConnection>();
  const detachers = new Set<() => void>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: resolved.maxPayload, perMessageDeflate: false });
  let closed = false;
  /** The close under way or done, which every call of `close()` waits for. */
  let shutdown: Promise<void> | undefined;

  const upstreams = createUpstreamLines({
    resolved,
    WebSocket: options.WebSocket,
    logger: options.logger,
    store,
    claims,
    writes,
    ledger,
    charged,
    deliver: (session, data, errors) => sessions.deliver(session, data, errors),
    log,
  });

  const mediaInFlight = (uuid: string): OwnerClaim | undefined => claims.holderOf(uuid);
  const gateOptions = { store, mediaInFlight, ledger, ownershipTtlMs: resolved.ownershipTtlMs, maxUUIDsPerTask: resolved.maxUUIDsPerTask, unclaimedInputs: resolved.unclaimedInputs };
  const check = createTaskGate({ ...gateOptions, upstream: (dryRun) => upstreams.line(dryRun), charged });

  const handler: BrowserHandler = {
    authorize: async (token, request) => {
      const decision = await options.authorize({ token, request });
      if (decision === undefined || decision === null || decision === false) return undefined;
      if ('refused' in decision) return decision;
      if (typeof decision.userId !== 'string' || decision.userId === '') throw new Error('authorize returned a policy without a userId');
      return decision;
    },
    attach: async (link, userId, requested, ready) => {
      const opened = await sessions.open(userId, requested);
      if (opened === TOO_MANY_SESSIONS) return opened;
      const { sessionUUID, resumed } = opened;
      // The socket closed while the store answered: the session goes to nobody, and lapses.
      if (!link.open) return undefined;
      const previous = sessions.attach(sessionUUID, userId, link, () => ready(sessionUUID, resumed));
      previous?.close(CLOSE.normal, 'Session taken over by a newer connection');
      return sessionUUID;
    },
    detach: (link, sessionUUID) => sessions.detach(sessionUUID, link),
    check,
  };

  // What the socket cannot carry (a streamed textInference) comes over HTTP, under the same authorize, rules and ledger.
  const http = createHttpRoute({ ...resolved, authorize: handler.authorize, gate: createHttpGate(gateOptions), log });

  const accept = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // A socket another relay or listener answered or took (two mounts of one upgrade) is theirs.
    if (!takeUpgrade(socket, log)) return;
    if (closed) {
      rejectUpgrade(socket, 503, 'Service Unavailable');
      return;
    }
    const origin = request.headers.origin;
    if (resolved.origins !== undefined && (origin === undefined || !resolved.origins.includes(origin))) {
      log?.('warn', 'relay.origin', `upgrade refused for origin ${String(origin)}`, 'relay');
      rejectUpgrade(socket, 403, 'Forbidden');
      return;
    }
    const url = urlOf(request);
    if (url === undefined) {
      rejectUpgrade(socket, 400, 'Bad Request');
      return;
    }
    const dryRun = url.searchParams.get('dryRun') === '1';
    const open = (ws: WebSocket): void => {
      const browser = new BrowserConnection(ws, request, handler, apiKey, resolved, dryRun, log, socket);
      browsers.add(browser);
      ws.once('close', () => browsers.delete(browser));
      ledger.prune(asyncScheduler.now());
    };
    completeUpgrade(wss, request, socket, head, open, log);
  };

  return {
    handleUpgrade: accept,
    handleRequest(request: IncomingMessage, response: ServerResponse) {
      ledger.prune(asyncScheduler.now());
      http.handle(request, response);
    },
    attach(server, attachOptions = {}) {
      const stop = listenForUpgrades(server, attachOptions.path, accept);
      const detach = (): void => {
        stop();
        detachers.delete(detach);
      };
      detachers.add(detach);
      return detach;
    },
    close() {
      // Every caller (a shutdown hook and a framework's onClose, say) waits for the one close.
      shutdown ??= closeAll();
      return shutdown;
    },
  };

  async function closeAll(): Promise<void> {
    closed = true;
    http.close();
    for (const detach of [...detachers]) detach();
    const closing = [...browsers].map(async (browser) => {
      browser.close(CLOSE.restart, 'Relay restarting');
      const grace = asyncScheduler.schedule(() => browser.terminate(), CLOSE_GRACE_MS);
      await browser.closed();
      grace.unsubscribe();
      await browser.drained();
    });
    await Promise.all(closing);
    // Frames being handled finish first, then the sessions and the media claims are handed to
    // the store: for a while only, since a store that stopped answering must not keep the relay
    // (its upstream connection, the timers of its tasks) open for ever.
    const unwritten = await writes.settledWithin(resolved.closeTimeout);
    if (unwritten !== undefined) {
      log?.('warn', 'relay.closeIncomplete', `the store did not answer within closeTimeout (${resolved.closeTimeout} ms); closing without: ${unwritten}`, 'relay');
    }
    await upstreams.close();
    sessions.stop();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }
}
