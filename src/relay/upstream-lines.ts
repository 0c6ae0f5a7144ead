import type { ConnectionOptions } from '../connection/create-connection.js';
import { defaultWebSocket } from '../transport/default-socket.js';
import type { WebSocketConstructor } from '../transport/socket-like.js';
import type { LogSink } from '../util/log.js';
import type { ClaimsInFlight } from './claims-in-flight.js';
import type { RelayLog } from './relay-log.js';
import type { ResolvedRelayOptions } from './relay-options.js';
import type { RelayedTask } from './relayed-task.js';
import type { RelayStore } from './store.js';
import type { StoreWrites } from './store-writes.js';
import { Upstream } from './upstream.js';
import type { UserLedger } from './user-ledger.js';

/** Outbound frames upstream are split beyond this many characters, as the client's are. */
const MAX_FRAME_LENGTH = 1_000_000;
/** A burst of submissions streams upstream in frames of about this size. */
const FLUSH_AT = 64 * 1024;

/** What the upstream lines need from the relay around them. */
export interface UpstreamLinesOptions {
  readonly resolved: ResolvedRelayOptions;
  /** The WebSocket constructor of the relay's options, if any (tests). */
  readonly WebSocket: WebSocketConstructor | undefined;
  /** The application's sink, for the connection layer's own lines. */
  readonly logger: LogSink | undefined;
  readonly store: RelayStore;
  /** Where results' media are claimed: they count while the store takes them. */
  readonly claims: ClaimsInFlight;
  /** The relay's store writes, which a closing relay waits for. */
  readonly writes: StoreWrites;
  readonly ledger: UserLedger;
  /** The tasks that hold a slot of their user's in the ledger, given back once each settles. */
  readonly charged: WeakSet<RelayedTask>;
  /** Hands items to a browser session. */
  deliver(sessionUUID: string, data: readonly unknown[], errors: readonly unknown[]): void;
  readonly log: RelayLog | undefined;
}

/** The relay's connections to Runware: one for real tasks and one for dry runs, each dialled at its first task. */
export interface UpstreamLines {
  /** The upstream of a browser's kind (dry run or not), made the first time it is asked for. */
  line(dryRun: boolean): Upstream;
  /** Closes every upstream made so far. */
  close(): Promise<void>;
}

/**
 * Makes the relay's upstreams: each a connection of runware-rx's connection layer with the real
 * key, whose tasks deliver to the sessions, claim their outputs for their user, drop a claim that
 * turned out not to be theirs (both in the background, as store writes a closing relay waits
 * for), and give their user's slot back when they settle.
 *
 * @param options The resolved options, the store, the ledger and the sessions' delivery.
 * @returns The lines.
 */
export function createUpstreamLines(options: UpstreamLinesOptions): UpstreamLines {
  const { resolved, store, claims, writes, ledger, charged, log } = options;
  const upstreams = new Map<boolean, Upstream>();

  // In the background, so that no result waits for the store; the claims count meanwhile.
  const claimOutputs = (userId: string, uuids: readonly string[]): void => claims.claim(userId, uuids);

  const release = (task: RelayedTask): void => {
    const id = task.freshClaim;
    if (id !== undefined) writes.track(`the release of a task claim of user=${task.userId}`, () => store.release(task.taskUUID, { userId: task.userId, kind: 'task', id }));
  };
  const disown = (task: RelayedTask): void => {
    log?.('warn', 'relay.disowned', `user=${task.userId} taskType=${task.taskType} taskUUID=${task.taskUUID}: the claim made for it is dropped`, 'relay');
    release(task);
  };

  const settled = (task: RelayedTask, reason: string): void => {
    if (!charged.has(task)) return;
    charged.delete(task);
    const counts = ledger.settled(task.userId);
    log?.('debug', 'relay.settled', `user=${task.userId} taskType=${task.taskType} taskUUID=${task.taskUUID} ${reason} inFlight=${counts.inFlight}`, 'relay');
  };

  const make = (dryRun: boolean): Upstream => {
    const url = new URL(resolved.url);
    if (dryRun) url.searchParams.set('dryRun', '1');
    const connection: ConnectionOptions = {
      url: url.toString(),
      apiKey: resolved.apiKey,
      WebSocket: options.WebSocket ?? defaultWebSocket(),
      authTimeout: 15_000,
      heartbeat: { interval: resolved.heartbeatInterval, timeout: resolved.heartbeatTimeout },
      reconnect: { initialDelay: Math.max(resolved.retryDelay, 50), maxDelay: 30_000, jitter: Math.min(resolved.retryDelay, 1000), attempts: Infinity },
      maxFrameLength: MAX_FRAME_LENGTH,
      flushAt: FLUSH_AT,
      log: options.logger,
    };
    return new Upstream(connection, {
      deliver: (session, data, errors) => options.deliver(session, data, errors),
      claimOutputs,
      disown,
      release,
      settled,
      idleTimeout: resolved.taskIdleTimeout,
      firstAnswerTimeout: resolved.firstAnswerTimeout,
      pollGatherMs: resolved.pollGatherMs,
      log,
    });
  };

  return {
    line(dryRun) {
      let existing = upstreams.get(dryRun);
      if (existing === undefined) {
        existing = make(dryRun);
        upstreams.set(dryRun, existing);
      }
      return existing;
    },
    async close() {
      await Promise.all([...upstreams.values()].map((each) => each.close()));
    },
  };
}
