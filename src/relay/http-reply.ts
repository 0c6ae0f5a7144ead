import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DownstreamFrame } from './downstream.js';
import { encodeDownstream } from './downstream.js';
import type { RelayErrorItem, TaskRef } from './refusals.js';

/*
 * How the relay's HTTP route answers: the statuses of its refusals (protocol §10.4), its CORS
 * headers (only for the origins the application listed), and the refusals of its own.
 */

/** The HTTP status of a refusal, by its code; anything else is a bad request (400). */
const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  missingApiKey: 401,
  tokenInvalid: 401,
  tokenExpired: 401,
  permissionDenied: 403,
  taskNotFound: 404,
  mediaNotFound: 404,
  rateLimitExceeded: 429,
  inFlightRateLimitExceeded: 429,
  serviceUnavailable: 503,
};

/** The status a refusal goes with. */
export const statusOf = (item: RelayErrorItem): number => STATUS_OF_CODE[item.code] ?? 400;

/** Headers of every answer to one request: CORS for a listed origin, none otherwise. */
export type ReplyHeaders = Readonly<Record<string, string>>;

/**
 * The CORS headers for a request's origin: only an origin in `origins` is named back (never
 * `*`), and every answer varies by origin, those that name none too, so that a cache never hands
 * one origin what another got. Without `origins`, none: a page on the app's own origin needs
 * none, and a page elsewhere stays blocked by its browser.
 */
export function corsOf(request: IncomingMessage, origins: readonly string[] | undefined): ReplyHeaders {
  const origin = request.headers.origin;
  if (origins === undefined) return {};
  if (origin === undefined || !origins.includes(origin)) return { vary: 'Origin' };
  return { 'access-control-allow-origin': origin, vary: 'Origin' };
}

/** What a preflight of a listed origin is allowed: a POST with the key and a JSON body. */
export const PREFLIGHT: ReplyHeaders = {
  'access-control-allow-methods': 'POST',
  'access-control-allow-headers': 'authorization, content-type, accept',
  'access-control-max-age': '600',
};

/** Answers with a JSON body of errors (and `error` beside them for a refused token, §10.1), the real key redacted. */
export function sendErrors(response: ServerResponse, errors: readonly RelayErrorItem[], headers: ReplyHeaders, apiKey: string, status = statusOf(errors[0]!)): void {
  const frame: DownstreamFrame = status === 401 ? { errors, error: errors[0] } : { errors };
  sendJsonText(response, status, encodeDownstream(frame, apiKey), headers);
}

/** Answers with a JSON text already redacted. */
export function sendJsonText(response: ServerResponse, status: number, text: string, headers: ReplyHeaders): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** A task the HTTP route does not carry: it carries what the WebSocket cannot, a streamed textInference and the getResponse of one. */
export const notOverHttp = (task: TaskRef): RelayErrorItem => ({
  code: 'unsupportedDeliveryMethod',
  message: 'Over HTTP this relay takes only a textInference with deliveryMethod "stream", alone, and the getResponse of such a task. Send other tasks over the WebSocket.',
  parameter: 'deliveryMethod',
  type: 'string',
  taskType: task.taskType,
  ...(task.taskUUID === undefined ? {} : { taskUUID: task.taskUUID }),
});

/** A dry run asked of the HTTP route: dry runs price tasks over the WebSocket, and a stream is never one. */
export const dryRunNotStreamed = (): RelayErrorItem => ({
  code: 'unsupportedDeliveryMethod',
  message: 'A dry run prices tasks over the WebSocket; this relay does not run one over HTTP.',
  parameter: 'deliveryMethod',
  type: 'string',
});

/** The route cannot take a request now (it is closing, or failed): come back later. */
export const routeUnavailable = (): RelayErrorItem => ({
  code: 'serviceUnavailable',
  message: 'The relay cannot take this request right now; try again shortly.',
});

/** The application's `authorize` failed or took too long: come back later. */
export const authorizationUnavailable = (): RelayErrorItem => ({
  code: 'serviceUnavailable',
  message: 'The relay cannot check this token right now; try again shortly.',
});
