import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { asyncScheduler } from 'rxjs';
import { WebSocketServer } from 'ws';
import type { ConnectionOptions } from '../connection/create-connection.js';
import { isUUIDv4 } from '../protocol/task-uuid.js';
import { defaultWebSocket } from '../transport/default-socket.js';
import type { BrowserHandler } from './browser-connection.js';
import { BrowserConnection, CLOSE } from './browser-connection.js';
import { createMemoryStore } from './memory-store.js';
import type { RelayErrorItem, TaskRef } from './refusals.js';
import { invalidTaskUUID, mediaNotFound, rateLimited, taskNotFound, tooManyInFlight } from './refusals.js';
import type { RelayLog } from './relay-log.js';
import { createRelayLog } from './relay-log.js';
import { resolveRelayOptions } from './relay-options.js';
import type { Relay, RelayOptions } from './relay-types.js';
import type { RelayedTask } from './relayed-task.js';
import { SessionHub } from './session-hub.js';
import type { RelayStore } from './store.js';
import { LOOK_UPS, expectedResults, refuseCounts, refuseTaskType } from './task-rules.js';
import { Upstream } from './upstream.js';
import { UserLedger } from './user-ledger.js';
import { uuidsIn } from './uuid-scan.js';

/** Outbound frames upstream are split beyond this many characters, as the client's are. */
const MAX_FRAME_LENGTH = 1_000_000;
/** A burst of submissions streams upstream in frames of about this size. */
const FLUSH_AT = 64 * 1024;
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
 * @returns The relay; mount it with `attach(server, { path })` or `handleUpgrade(...)`.
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
  const sessions = new SessionHub({ store, apiKey, bufferMs: resolved.sessionBufferMs, log });
  const charged = new WeakSet<RelayedTask>();
  const browsers = new Set<BrowserConnection>();
  const detachers = new Set<() => void>();
  const upstreams = new Map<boolean, Upstream>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: resolved.maxPayload, perMessageDeflate: false });
  let closed = false;

  const claimOutputs = (userId: string, uuids: readonly string[]): void => {
    for (const uuid of uuids) {
      void Promise.resolve(store.claim(uuid, { userId, kind: 'media' }, resolved.ownershipTtlMs)).catch((error: unknown) =>
        log?.('warn', 'relay.store', `claiming a media UUID failed: ${String(error)}`, 'relay'),
      );
    }
  };

  const upstream = (dryRun: boolean): Upstream => {
    let existing = upstreams.get(dryRun);
    if (existing !== undefined) return existing;
    const url = new URL(resolved.url);
    if (dryRun) url.searchParams.set('dryRun', '1');
    const connection: ConnectionOptions = {
      url: url.toString(),
      apiKey,
      WebSocket: options.WebSocket ?? defaultWebSocket(),
      authTimeout: 15_000,
      heartbeat: { interval: resolved.heartbeatInterval, timeout: resolved.heartbeatTimeout },
      reconnect: { initialDelay: Math.max(resolved.retryDelay, 50), maxDelay: 30_000, jitter: Math.min(resolved.retryDelay, 1000), attempts: Infinity },
      maxFrameLength: MAX_FRAME_LENGTH,
      flushAt: FLUSH_AT,
      log: options.logger,
    };
    existing = new Upstream(connection, {
      deliver: (session, data, errors) => sessions.deliver(session, data, errors),
      claimOutputs,
      settled: (task, reason) => {
        if (!charged.has(task)) return;
        charged.delete(task);
        const counts = ledger.settled(task.userId);
        log?.('debug', 'relay.settled', `user=${task.userId} taskType=${task.taskType} taskUUID=${task.taskUUID} ${reason} inFlight=${counts.inFlight}`, 'relay');
      },
      idleTimeout: resolved.taskIdleTimeout,
      pollGatherMs: resolved.pollGatherMs,
      log,
    });
    upstreams.set(dryRun, existing);
    return existing;
  };

  const refuse = (item: RelayErrorItem, userId: string, connectionId: string): RelayErrorItem => {
    const counts = ledger.refused(userId);
    log?.('warn', 'relay.refused', `user=${userId} taskType=${String(item.taskType)} taskUUID=${String(item.taskUUID)} code=${item.code} refused=${counts.refused}`, connectionId);
    return item;
  };

  /** Whose a UUID is, for the scan of a task's inputs: only another user's are refused. */
  const othersIn = async (task: Readonly<Record<string, unknown>>, userId: string): Promise<string | undefined> => {
    const found = uuidsIn(task);
    const holders = await Promise.all(found.map(({ uuid }) => Promise.resolve(store.holderOf(uuid))));
    const index = holders.findIndex((holder) => holder !== undefined && holder.userId !== userId);
    return index < 0 ? undefined : found[index]?.path;
  };

  const check: BrowserHandler['check'] = async (task, policy, sessionUUID, link, dryRun) => {
    const { userId } = policy;
    const taskType = typeof task['taskType'] === 'string' ? task['taskType'] : '';
    const given = task['taskUUID'];
    const ref: TaskRef = { taskType, taskUUID: typeof given === 'string' ? given : undefined };
    if (typeof given !== 'string' || !isUUIDv4(given)) return refuse(invalidTaskUUID(ref, given !== undefined), userId, link.id);
    // Ownership goes by the UUID whatever its case; the upstream route by the exact text, which
    // is what the server echoes on the replies.
    const owned = given.toLowerCase();
    const taskUUID = given;
    const denied = refuseTaskType(ref, policy);
    if (denied !== undefined) return refuse(denied, userId, link.id);
    const line = upstream(dryRun);

    if (LOOK_UPS.has(taskType)) {
      const holder = await store.holderOf(owned);
      if (holder?.kind !== 'task' || holder.userId !== userId) return refuse(taskNotFound(ref), userId, link.id);
      const followed = line.follow({ taskUUID, userId, taskType: holder.taskType ?? taskType, expected: holder.expected ?? 1 }, sessionUUID, false);
      if (followed === undefined) return taskNotFound(ref);
      return taskType === 'getResponse' ? () => line.poll(followed) : () => line.send(followed, task as never);
    }

    const oversized = refuseCounts({ ...task, ...ref }, policy);
    if (oversized !== undefined) return refuse(oversized, userId, link.id);
    const [holder, foreign] = await Promise.all([store.holderOf(owned), othersIn(task, userId)]);
    if (holder !== undefined && holder.userId !== userId) return refuse(taskNotFound(ref), userId, link.id);
    if (foreign !== undefined) return refuse(mediaNotFound(ref, foreign), userId, link.id);

    const expected = expectedResults(task);
    let followed = line.task(taskUUID);
    if (followed === undefined) {
      // A new submission (or one sent again after the relay forgot it): it takes a slot and counts.
      const now = asyncScheduler.now();
      if (policy.ratePerMinute !== undefined && ledger.recentSubmissions(userId, now) >= policy.ratePerMinute) return refuse(rateLimited(ref, policy.ratePerMinute), userId, link.id);
      if (policy.maxInFlight !== undefined && ledger.of(userId).inFlight >= policy.maxInFlight) return refuse(tooManyInFlight(ref, policy.maxInFlight), userId, link.id);
      const claim = await store.claim(owned, { userId, kind: 'task', taskType, expected }, resolved.ownershipTtlMs);
      if (claim.userId !== userId) return refuse(taskNotFound(ref), userId, link.id);
      // The checks awaited: another frame of this user may have started following it meanwhile.
      followed = line.task(taskUUID);
      if (followed === undefined) {
        followed = line.follow({ taskUUID, userId, taskType, expected }, sessionUUID, true);
        if (followed === undefined) return taskNotFound(ref);
        charged.add(followed);
        const counts = ledger.submitted(userId, now);
        log?.('debug', 'relay.task', `user=${userId} taskType=${taskType} taskUUID=${taskUUID} inFlight=${counts.inFlight} submitted=${counts.submitted}`, link.id);
      }
    }
    if (followed.userId !== userId) return refuse(taskNotFound(ref), userId, link.id);
    followed.watch(sessionUUID);
    const chosen = followed;
    return () => line.send(chosen, task as never);
  };

  const handler: BrowserHandler = {
    authorize: async (token, request) => {
      const decision = await options.authorize({ token, request });
      if (decision === undefined || decision === null || decision === false) return undefined;
      if ('refused' in decision) return decision;
      if (typeof decision.userId !== 'string' || decision.userId === '') throw new Error('authorize returned a policy without a userId');
      return decision;
    },
    attach: async (link, userId, requested, ready) => {
      const { sessionUUID, resumed } = await sessions.open(userId, requested);
      const previous = await sessions.attach(sessionUUID, userId, link, () => ready(sessionUUID, resumed));
      previous?.close(CLOSE.normal, 'Session taken over by a newer connection');
      return sessionUUID;
    },
    detach: (link, sessionUUID) => sessions.detach(sessionUUID, link),
    check,
  };

  const accept = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
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
    const dryRun = new URL(request.url ?? '/', 'http://relay').searchParams.get('dryRun') === '1';
    wss.handleUpgrade(request, socket, head, (ws) => {
      const browser = new BrowserConnection(ws, request, handler, apiKey, resolved, dryRun, log);
      browsers.add(browser);
      ws.once('close', () => browsers.delete(browser));
      ledger.prune(asyncScheduler.now());
    });
  };

  return {
    handleUpgrade: accept,
    attach(server, attachOptions = {}) {
      const { path } = attachOptions;
      const listener = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
        if (path !== undefined && new URL(request.url ?? '/', 'http://relay').pathname !== path) return;
        accept(request, socket, head);
      };
      server.on('upgrade', listener);
      const detach = (): void => {
        server.off('upgrade', listener);
        detachers.delete(detach);
      };
      detachers.add(detach);
      return detach;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const detach of [...detachers]) detach();
      const closing = [...browsers].map(async (browser) => {
        browser.close(CLOSE.restart, 'Relay restarting');
        const grace = asyncScheduler.schedule(() => browser.terminate(), CLOSE_GRACE_MS);
        await browser.closed();
        grace.unsubscribe();
        await browser.drained();
      });
      await Promise.all(closing);
      // Frames being handled finish first, then the sessions are handed to the store.
      await sessions.settled();
      await Promise.all([...upstreams.values()].map((each) => each.close()));
      sessions.stop();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
