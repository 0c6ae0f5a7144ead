import type { IncomingMessage, ServerResponse } from 'node:http';
import { nanoid } from 'nanoid';
import { isRecord } from '../util/is-record.js';
import { redactLogLine } from '../util/redact.js';
import type { Decision } from './authorize-in-time.js';
import { authorizeInTime, hasExpired } from './authorize-in-time.js';
import { Departure, GONE } from './departure.js';
import type { ForwardTarget } from './http-forward.js';
import { forwardTask } from './http-forward.js';
import type { Admitted, ExchangeLog, HttpGate } from './http-gate.js';
import type { ReplyHeaders } from './http-reply.js';
import { authorizationUnavailable, corsOf, dryRunNotStreamed, PREFLIGHT, routeUnavailable, sendErrors } from './http-reply.js';
import { readBody } from './read-body.js';
import { readFrame } from './read-frame.js';
import type { RelayErrorItem } from './refusals.js';
import { invalidPayload, relayUnavailable, tokenRefused } from './refusals.js';
import type { RelayLog } from './relay-log.js';
import { urlOf } from './request-url.js';

/** What the HTTP route needs from the relay. */
export interface HttpRouteOptions extends ForwardTarget {
  readonly origins: readonly string[] | undefined;
  readonly maxPayload: number;
  /** How long a request's body may take to arrive whole, as a socket's frames may be apart. */
  readonly idleTimeout: number;
  readonly authorizeTimeout: number;
  /** The relay's `authorize`, as its sockets ask it; throws when it cannot decide now. */
  readonly authorize: (token: string, request: IncomingMessage) => Promise<Decision>;
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
 * within `idleTimeout`. A page that leaves while `authorize` decides is not waited for (nor is
 * its answer: even with no time limit nothing is held for it), and one still waiting when the
 * route closes is answered 503.
 *
 * @param options The relay's options, its `authorize`, the gate and the log.
 * @returns The route.
 */
export function createHttpRoute(options: HttpRouteOptions): HttpRoute {
  const { apiKey } = options;
  const inFlight = new Set<() => void>();
  /** Pages waiting for `authorize`: each is let go when it leaves, or when the route closes. */
  const deciding = new Set<Departure>();
  /** Pages whose task is being checked (the store may be slow, or stuck): told to come back when the route closes. */
  const checking = new Set<() => void>();
  let closed = false;

  /** Asks `authorize` for as long as the page waits for the answer, which is not waited for once it has gone. */
  const decide = async (token: string, request: IncomingMessage, response: ServerResponse, log: ExchangeLog): Promise<Decision | 'failed' | typeof GONE> => {
    const departure = new Departure();
    const leave = (): void => departure.now();
    // Before the answer, the response closes only when the page's connection does.
    if (response.destroyed) leave();
    else response.once('close', leave);
    deciding.add(departure);
    try {
      return await authorizeInTime(options.authorize, token, request, options.authorizeTimeout, departure, log);
    } finally {
      response.off('close', leave);
      deciding.delete(departure);
    }
  };

  const serve = async (request: IncomingMessage, response: ServerResponse, headers: ReplyHeaders, log: ExchangeLog, token: string): Promise<void> => {
    const refuse = (item: RelayErrorItem, status?: number): void => {
      // Answered already (by close(), while the task was checked): the page has its answer.
      if (response.writableEnded || response.destroyed) return;
      // What was not read is not waited for: the connection closes once the answer is out.
      if (!request.complete) response.setHeader('connection', 'close');
      sendErrors(response, [item], headers, apiKey, status);
    };
    const decision = await decide(token, request, response, log);
    if (decision === GONE) {
      // Let go by the closing route, the page still waits: it is told to come back; gone, it is told nothing.
      if (closed && !response.destroyed) return refuse(routeUnavailable());
      return log('debug', 'relay.pageLeft', 'the page went away while authorize decided: its answer is not waited for');
    }
    if (decision === 'failed') return refuse(authorizationUnavailable());
    if (decision === undefined || !('userId' in decision)) {
      log('warn', 'relay.authRefused', `code=${decision?.code ?? 'tokenInvalid'} http`);
      return refuse(tokenRefused(decision?.code ?? 'tokenInvalid', decision?.message ?? 'The token was not accepted.'), 401);
    }
    const policy = decision;
    if (hasExpired(policy)) {
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
    const comeBack = (): void => refuse(routeUnavailable());
    checking.add(comeBack);
    try {
      admitted = await options.gate(task, policy, log);
    } catch (error) {
      log('warn', 'relay.checkFailed', `taskType=${String(task['taskType'])} taskUUID=${String(task['taskUUID'])}: ${describe(error)} http`);
      return refuse(relayUnavailable({ taskType: String(task['taskType']), taskUUID: typeof task['taskUUID'] === 'string' ? task['taskUUID'] : undefined }));
    } finally {
      checking.delete(comeBack);
    }
    if ('code' in admitted) return refuse(admitted);
    // The page left, or the relay closed, while the task was checked: it is not sent.
    if (response.destroyed || closed) {
      admitted.settle(false);
      if (closed) refuse(routeUnavailable());
      return;
    }
    // In flight until the exchange is over, not until the page leaves: an answer read on after
    // its page went away is stopped by close() as well.
    let stop = (): void => undefined;
    const exchange: Admitted = {
      task: admitted.task,
      streams: admitted.streams,
      settle: (taken) => {
        inFlight.delete(stop);
        admitted.settle(taken);
      },
    };
    stop = forwardTask(exchange, response, headers, options, log);
    inFlight.add(stop);
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
      for (const departure of [...deciding]) departure.now();
      for (const comeBack of [...checking]) comeBack();
      for (const stop of [...inFlight]) stop();
      inFlight.clear();
    },
  };
}
