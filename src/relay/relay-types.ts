import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketConstructor } from '../transport/socket-like.js';
import type { LogSink } from '../util/log.js';
import type { Authorize } from './relay-policy.js';
import type { RelayStore } from './store.js';

/* How a relay is made (its options) and mounted, and what it does once running. */

/** Options of {@link createRelay}; every time is in milliseconds. */
export interface RelayOptions {
  /** The real Runware API key, which never leaves the relay. Default: `RUNWARE_API_KEY` from the environment. */
  readonly apiKey?: string | undefined;
  /** The Runware WebSocket endpoint. Default: `RUNWARE_URL` from the environment, else `wss://ws-api.runware.ai/v1`. */
  readonly url?: string | undefined;
  /**
   * Runware's HTTP endpoint, where a page's streamed `textInference` goes (the API streams over
   * HTTP only). Default: the twin of `url`, as runware-rx derives it (`wss://ws-api.runware.ai/v1`
   * → `https://api.runware.ai/v1`; any other `ws(s)://` URL over `http(s)://`).
   */
  readonly httpUrl?: string | undefined;
  /** Decides who may use the relay, and how much. */
  readonly authorize: Authorize;
  /** Where ownership, sessions and buffered frames live. Default: {@link createMemoryStore}(). */
  readonly store?: RelayStore | undefined;
  /** Receives the relay's diagnostics (per-user task counts and refusals, upstream frames), the key redacted. */
  readonly logger?: LogSink | undefined;
  /**
   * If given, upgrades and HTTP requests whose `Origin` header is not in the list are refused
   * with HTTP 403; HTTP answers to a listed origin carry CORS headers naming it (never `*`).
   */
  readonly origins?: readonly string[] | undefined;
  /** How long a browser session without a socket keeps its frames and can be resumed. Default 120 000, as the API. */
  readonly sessionBufferMs?: number | undefined;
  /** How long a browser may take to send its authentication after its socket opens (then 1008). Default 15 000. */
  readonly authTimeout?: number | undefined;
  /** How long `authorize` may take to decide (then 1011, and the client tries again later). Default 10 000. */
  readonly authorizeTimeout?: number | undefined;
  /** A browser socket that sends nothing for this long is closed (clients ping every 20 s). Default 120 000. */
  readonly idleTimeout?: number | undefined;
  /**
   * A task nobody asks about and nothing arrives for is forgotten after this long (its in-flight
   * slot freed). Default 600 000. A polled task its page went silent about is polled by the relay
   * meanwhile (every 10 s after a minute), which ends it sooner once the server is done.
   */
  readonly taskIdleTimeout?: number | undefined;
  /**
   * How long a page's look-up of a task it has just submitted waits for Runware's first answer to
   * the submission (until then the taskUUID is not known to be the user's). Then the relay asks
   * Runware's archive whether it holds what the relay sent; an archive that does not answer
   * within as long again ends the task with `serviceUnavailable`. Default 10 000.
   */
  readonly firstAnswerTimeout?: number | undefined;
  /** Polls arriving within this window go upstream in one frame, whichever browsers sent them. Default 50. */
  readonly pollGatherMs?: number | undefined;
  /** How long the store remembers who owns a taskUUID or media UUID. Default 86 400 000 (a day). */
  readonly ownershipTtlMs?: number | undefined;
  /** The largest browser frame accepted once authenticated, in bytes; a larger one closes the socket (1009). Default 16 777 216 (16 MiB). */
  readonly maxPayload?: number | undefined;
  /** The largest browser frame read before the socket has authenticated, in bytes; a larger one closes it (1009). Default 65 536. */
  readonly maxUnauthenticatedPayload?: number | undefined;
  /**
   * The most tasks one frame may carry; none of a frame with more is read, and each of its tasks
   * is refused (`invalidPayload`, all in one frame). Default 20 000, more than runware-rx puts in a frame. Before
   * authentication a frame may carry 16.
   */
  readonly maxTasksPerFrame?: number | undefined;
  /** The most distinct UUIDs one task may refer to (inputs, URLs, keys); a task with more is refused (`invalidPayload`). Default 256. */
  readonly maxUUIDsPerTask?: number | undefined;
  /**
   * Bytes waiting to be written to one browser beyond which the relay stops writing to it and
   * closes it (1013): its session keeps what follows, for the browser to resume. Default
   * 16 777 216 (16 MiB).
   */
  readonly maxBufferedBytes?: number | undefined;
  /**
   * What to do with a UUID in a task's inputs that nobody's claim covers: `'allow'` it (media
   * your app uploaded itself, URLs of other sites), or `'refuse'` it as `mediaNotFound`, so that
   * only media produced through the relay for the same user can be used. Default `'allow'`.
   */
  readonly unclaimedInputs?: 'allow' | 'refuse' | undefined;
  /** The upstream's heartbeat and reconnection: as the client's options of the same names. */
  readonly heartbeatInterval?: number | undefined;
  readonly heartbeatTimeout?: number | undefined;
  readonly retryDelay?: number | undefined;
  /**
   * How long `close()` waits for the store to take what is being written when it is called (the
   * sessions it hands over, frames kept for them, the media claims of results) before it closes
   * the upstream connection without it, and resolves; what the store has not taken by then is named in a `warn` line
   * (`relay.closeIncomplete`). Default 5000. A store that answers in time is never cut short.
   */
  readonly closeTimeout?: number | undefined;
  /** A WebSocket constructor for the upstream connection (tests). */
  readonly WebSocket?: WebSocketConstructor | undefined;
}

/** Options of {@link Relay.attach}. */
export interface RelayAttachOptions {
  /** The path the browsers connect to, such as `/runware` (the query is ignored). Default: every upgrade of the server. */
  readonly path?: string | undefined;
}

/** A running relay. */
export interface Relay {
  /**
   * Takes one WebSocket upgrade (from a server's `upgrade` event) as a browser connection.
   * The caller has already decided that this path is the relay's. A socket that a relay or
   * another WebSocket server has taken already (answered, or reads) is left to it: nothing is
   * written into it, not even a refusal, and nothing is thrown.
   */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * Takes one HTTP request on the relay's path: what runware-rx in a page POSTs to its `httpUrl`
   * (the socket URL over http(s)), a `textInference` with `deliveryMethod: "stream"` or the
   * `getResponse` of one, with its token as `Authorization: Bearer`. Mount it on POST and OPTIONS
   * of the socket's path, before any body parser: it reads the body itself. The token goes through
   * `authorize`, the task through the same rules and limits as a socket's, and the Server-Sent
   * Events of Runware's answer come back as they arrive. Other tasks are refused (400): they go
   * over the socket.
   */
  handleRequest(request: IncomingMessage, response: ServerResponse): void;
  /**
   * Listens to a Node HTTP server's upgrades on `path` (Express's, Fastify's `app.server`,
   * Hono's Node server, Next's custom server). Upgrades of other paths are left to other
   * listeners; when relays are the server's only upgrade listeners, such an upgrade is answered
   * with HTTP 404 and its socket closed, so that it cannot hang open.
   *
   * @returns A function that stops listening.
   * @throws {ValidationError} (`parameter: 'path'`) When a relay attached to the server already
   *   takes some of the same upgrades: the same path, or no path on either side (a relay with no
   *   path takes every upgrade). Two relays would both answer each such upgrade.
   */
  attach(server: Server, options?: RelayAttachOptions): () => void;
  /**
   * Stops taking upgrades and requests, closes every browser socket (code 1012: clients
   * reconnect, to this relay's successor if it shares the store; a browser that does not answer
   * the close within a second is dropped), hands their sessions and the media claims of
   * results to the store, waiting for the store at most `closeTimeout`, then closes the upstream connection and ends the streams in
   * flight. Always resolves, also when the store stops answering: what it had not taken by then
   * is named in a `warn` line (`relay.closeIncomplete`), and is lost to the relay's successor.
   */
  close(): Promise<void>;
}
