import type { IncomingMessage, ServerResponse } from 'node:http';
import { nanoid } from 'nanoid';
import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import { isRecord } from '../util/is-record.js';
import { redactLogLine } from '../util/redact.js';
import type { ForwardTarget } from './http-forward.js';
import { forwardTask } from './http-forward.js';
import type { ExchangeLog, HttpGate } from './http-gate.js';
import type { ReplyHeaders } from './http-reply.js';
import { authorizationUnavailable, corsOf, dryRunNotStreamed, PREFLIGHT, routeUnavailable, sendErrors } from './http-reply.js';
import { readBody } from './read-body.js';
import { readFrame } from './read-frame.js';
import type { RelayErrorItem } from './refusals.js';
import { invalidPayload, relayUnavailable, tokenRefused } from './refusals.js';
import type { RelayLog } from './relay-log.js';
import type { RelayPolicy, RelayRefusal } from './relay-types.js';
import { urlOf } from './request-url.js';

/** What the HTTP route needs from the relay. */
export interface HttpRouteOptions extends ForwardTarget {
  readonly origins: readonly string[] | undefined;
  readonly maxPayload: number;
  /** How long a request's body may take to arrive whole, as a socket's frames may be apart. */
  readonly idleTimeout: number;
  readonly authorizeTimeout: number;
  /** The relay's `authorize`, as its sockets ask it; throws when it cannot decide now. */
  readonly authorize: (token: string, request: IncomingMessage) => Promise<RelayPolicy | RelayRefusal | undefined>;
  readonly gate: HttpGate;
  readonly log: RelayLog | undefined;
}

/** The relay's HTTP route: takes requests until it is closed. */
export interface HttpRoute {
  handle(request: IncomingMessage, response: ServerResponse): void;
  /** Refuses new requests (503) and stops the ones in flight. */
  close(): void;
}

/** `Authorization: Bearer <token>` → the token. */
const bearerOf = (header: string | undefined): string | undefined => /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const isDryRun = (url: URL, request: IncomingMessage): boolean => url.searchParams.get('dryRun') === '1' || request.headers['x-runware-dry-run'] !== undefined;

/**
 * The HTTP half of the relay, for what the Runware API serves only over HTTP: a page's streamed
 * textInference (and the getResponse that follows a stream cut short), POSTed as runware-rx
 * POSTs it to its `httpUrl`: `[task]` with the page's token as `Authorization: Bearer`. The token
 * goes through the same `authorize` as a socket's (within `authorizeTimeout`), the task through
 * the same rules, limits and ownership (http-gate.ts), and the stream comes back from Runware's
 * HTTP endpoint, which gets the real key (http-forward.ts). Refusals are JSON `{errors}` with the
 * API's statuses. The body is read only once the token is accepted, at most `maxPayload` bytes
 * within `idleTimeout`.
 *
 * @param options The relay's options, its `authorize`, the gate and the log.
 * @returns The route.
 */
export function createHttpRoute(options: HttpRouteOptions): HttpRoute {
  const { apiKey } = options;
  const inFlight = new Set<() => void>();
  let closed = false;

  /** Asks `authorize` within its time; `'failed'` when it threw or took too long. */
  const decide = async (token: string, request: IncomingMessage, log: ExchangeLog): Promise<RelayPolicy | RelayRefusal | undefined | 'failed'> => {
    let timer: Subscription | undefined;
    const late = new Promise<'late'>((resolve) => {
      if (options.authorizeTimeout !== Infinity) timer = asyncScheduler.schedule(() => resolve('late'), options.authorizeTimeout);
    });
    try {
      const decision = await Promise.race([options.authorize(token, request), late]);
      if (decision !== 'late') return decision;
      log('warn', 'relay.authorizeFailed', `authorize did not answer within ${options.authorizeTimeout} ms`);
    } catch (error) {
      log('warn', 'relay.authorizeFailed', `authorize failed: ${describe(error)}`);
    } finally {
      timer?.unsubscribe();
    }
    return 'failed';
  };

  const serve = async (request: IncomingMessage, response: ServerResponse, headers: ReplyHeaders, log: ExchangeLog, token: string): Promise<void> => {
    const refuse = (item: RelayErrorItem, status?: number): void => {
      // What was not read is not waited for: the connection closes once the answer is out.
      if (!request.complete) response.setHeader('connection', 'close');
      sendErrors(response, [item], headers, apiKey, status);
    };
    const decision = await decide(token, request, log);
    if (decision === 'failed') return refuse(authorizationUnavailable());
    if (decision === undefined || !('userId' in decision)) {
      log('warn', 'relay.authRefused', `code=${decision?.code ?? 'tokenInvalid'} http`);
      return refuse(tokenRefused(decision?.code ?? 'tokenInvalid', decision?.message ?? 'The token was not accepted.'), 401);
    }
    const policy = decision;
    if (policy.expiresAt !== undefined && policy.expiresAt <= asyncScheduler.now()) {
      return refuse(tokenRefused('tokenExpired', 'The token has expired. Ask your application for a new one.'), 401);
    }
    const body = await readBody(request, options.maxPayload, options.idleTimeout);
    if (body.ok === false) {
      if (body.reason === 'tooLarge') refuse(invalidPayload(`A request to this relay may carry at most ${options.maxPayload} bytes.`), 413);
      if (body.reason === 'timedOut') {
        log('warn', 'relay.bodyTimeout', `the request body did not arrive whole within ${options.idleTimeout} ms`);
        refuse(invalidPayload(`The request body did not arrive within ${options.idleTimeout} ms.`), 408);
      }
      if (body.reason === 'consumed') {
        log('warn', 'relay.bodyConsumed', 'the request body was read before the relay got it: mount handleRequest before any body parser');
        refuse(invalidPayload('The relay could not read this request.'));
      }
      return;
    }
    const parsed = readFrame(body.text);
    if (!Array.isArray(parsed)) return refuse(parsed);
    const [task] = parsed;
    if (parsed.length !== 1 || !isRecord(task)) return refuse(invalidPayload('A request to this relay over HTTP is a JSON array of one task object.'));
    let admitted;
    try {
      admitted = await options.gate(task, policy, log);
    } catch (error) {
      log('warn', 'relay.checkFailed', `taskType=${String(task['taskType'])} taskUUID=${String(task['taskUUID'])}: ${describe(error)} http`);
      return refuse(relayUnavailable({ taskType: String(task['taskType']), taskUUID: typeof task['taskUUID'] === 'string' ? task['taskUUID'] : undefined }));
    }
    if ('code' in admitted) return refuse(admitted);
    // The page left, or the relay closed, while the task was checked: it is not sent.
    if (response.destroyed || closed) {
      admitted.settle(false);
      if (closed) refuse(routeUnavailable());
      return;
    }
    const stop = forwardTask(admitted, response, headers, options, log);
    inFlight.add(stop);
    response.once('close', () => inFlight.delete(stop));
  };

  return {
    handle(request, response) {
      const id = `http-${nanoid(8)}`;
      const bearer = bearerOf(request.headers.authorization);
      const log: ExchangeLog = (level, event, detail) => options.log?.(level, event, bearer === undefined ? detail : redactLogLine(detail, bearer), id);
      const headers = corsOf(request, options.origins);
      const answer = (item: RelayErrorItem, status: number, extra: ReplyHeaders = {}): void => {
        response.setHeader('connection', 'close');
        sendErrors(response, [item], { ...headers, ...extra }, apiKey, status);
      };
      const origin = request.headers.origin;
      if (options.origins !== undefined && (origin === undefined || !options.origins.includes(origin))) {
        log('warn', 'relay.origin', `request refused for origin ${String(origin)}`);
        return answer({ code: 'permissionDenied', message: 'This origin may not use the relay.' }, 403);
      }
      if (request.method === 'OPTIONS') {
        response.writeHead(204, { ...headers, ...(options.origins === undefined ? {} : PREFLIGHT), allow: 'POST, OPTIONS' });
        return void response.end();
      }
      if (request.method !== 'POST') return answer(invalidPayload('POST a JSON array of one task to this relay (or open a WebSocket here).'), 405, { allow: 'POST, OPTIONS' });
      if (closed) return answer(routeUnavailable(), 503);
      const url = urlOf(request);
      if (url === undefined) return answer(invalidPayload('The target of this request is not a URL.'), 400);
      if (isDryRun(url, request)) return answer(dryRunNotStreamed(), 400);
      if (bearer === undefined) {
        return answer(tokenRefused('missingApiKey', 'Missing token. Send the token your application gave you as a Bearer token.'), 401);
      }
      serve(request, response, headers, log, bearer).catch((error: unknown) => {
        log('warn', 'relay.failed', `a request could not be handled: ${describe(error)}`);
        answer(routeUnavailable(), 503);
      });
    },
    close() {
      closed = true;
      for (const stop of [...inFlight]) stop();
      inFlight.clear();
    },
  };
}
