import * as v from 'valibot';
import type { ApiKeySource } from '../connection/api-key.js';
import type { WebSocketConstructor } from '../transport/socket-like.js';
import { countOption, deadlineOption, delayOption } from './option-rules.js';
import type { LogSink } from '../util/log.js';

/** Options of {@link createRunware}; every one is optional and every time is in milliseconds. */
export interface RunwareOptions {
  /**
   * The account's API key, or in a page the session token a relay (`runware-rx/relay`) gave it.
   * A function is asked at every authentication, reconnections included, so a token that
   * expires can be fetched anew. Default: `RUNWARE_API_KEY` from the environment, where there is one.
   */
  readonly apiKey?: ApiKeySource | undefined;
  /**
   * Says that this page may hold a raw Runware API key (an internal tool, a prototype on your
   * own machine): without it, a client created in a browser with a key that looks like a real
   * one (32 letters and digits) warns once. Default `false`.
   */
  readonly dangerouslyAllowBrowser?: boolean | undefined;
  /**
   * The WebSocket endpoint. Default: `RUNWARE_URL` from the environment, else
   * `wss://ws-api.runware.ai/v1`. Point it at `runware-simulator` for tests.
   */
  readonly url?: string | undefined;
  /**
   * The API's HTTP endpoint, which carries what the WebSocket cannot: `textInference` with
   * `deliveryMethod: "stream"`. Default: the twin of `url` (`wss://ws-api.runware.ai/v1` →
   * `https://api.runware.ai/v1`; any other `ws(s)://` URL over `http(s)://`, as the simulator serves both).
   */
  readonly httpUrl?: string | undefined;
  /**
   * Whole-task deadline. Default: 300 000 for pushed (sync) tasks, 1 200 000 for polled ones,
   * 7 200 000 for `modelUpload`; set here, it holds for every task.
   */
  readonly timeout?: number | undefined;
  /**
   * Retries of a failure before the server took the task (lost connection, no answer, rate
   * limit, 5xx), always with the same taskUUID. Default 2.
   */
  readonly maxRetries?: number | undefined;
  /**
   * Re-run a task that failed after the server took it (a provider timeout, a failed item) under
   * a new taskUUID: a new task, billed again. Default `false`: such failures are final.
   */
  readonly retryFailed?: boolean | undefined;
  /** The first retry's and reconnection's wait; both double from there. Default 1 000. */
  readonly retryDelay?: number | undefined;
  /** Tasks in flight at once for this client; the rest wait in order (`attach`, `getResponse` and `getTaskDetails` add none and never wait). Default `Infinity`. */
  readonly maxInFlight?: number | undefined;
  /** Consecutive failed reconnections before giving up. Default `Infinity`. */
  readonly maxReconnectAttempts?: number | undefined;
  /** Quiet time before a ping proves the socket alive. Default 20 000. */
  readonly heartbeatInterval?: number | undefined;
  /** How long a ping may go unanswered before the socket is replaced. Default 10 000. */
  readonly heartbeatTimeout?: number | undefined;
  /** Deadline for dialling plus authentication. Default 15 000. */
  readonly authTimeout?: number | undefined;
  /** Deadline for the acknowledgement of an async task. Default 30 000. */
  readonly ackTimeout?: number | undefined;
  /**
   * The longest silence while a pushed task runs: until its first result, and between results.
   * When it passes, the task is sent again under its taskUUID (the server answers
   * `conflictTaskUUID` if it has it, and the task is polled). Default 120 000, the server's own
   * budget for pushed results.
   */
  readonly answerTimeout?: number | undefined;
  /** Deadline for the answer to one status poll. Default 10 000. */
  readonly pollTimeout?: number | undefined;
  /**
   * The wait before the first status poll of a task of a kind (task type, model, duration) the
   * client has not seen finish; later waits start at 225 ms (or this, when shorter) and grow with
   * the time the task has run. Tasks of a kind it has seen finish are polled around when those
   * were ready instead, and the server's progress, when it reports any, is projected to the
   * finish. Default 1 000.
   */
  readonly pollInterval?: number | undefined;
  /**
   * Refuse request fields this version of runware-rx does not know, instead of sending them as
   * they are with a warning (once per field, through `logger`, or `console.warn` without one).
   * Default `false`.
   */
  readonly strictParams?: boolean | undefined;
  /**
   * Media inputs given as bytes (`Blob`, `ArrayBuffer`, `Uint8Array`, `fromFile`) larger than
   * this many bytes are uploaded first (`mediaStorage`) and sent by UUID; smaller ones are sent
   * inline as data URIs. `Infinity` sends everything inline. Default 1 048 576 (1 MiB).
   */
  readonly uploadThreshold?: number | undefined;
  /** A WebSocket constructor to use instead of the platform's (tests, custom runtimes). */
  readonly WebSocket?: WebSocketConstructor | undefined;
  /** Receives diagnostics (frames with the key redacted, state changes, dropped frames). */
  readonly logger?: LogSink | undefined;
}

/** Every option with its default applied. */
export interface ResolvedOptions {
  readonly apiKey: ApiKeySource;
  readonly dangerouslyAllowBrowser: boolean;
  readonly url: string;
  /** The HTTP endpoint, when the options set one (else the twin of `url`). */
  readonly httpUrl: string | undefined;
  /** The client's own `timeout`, when its options set one. */
  readonly timeout: number | undefined;
  readonly maxRetries: number;
  readonly retryFailed: boolean;
  readonly retryDelay: number;
  readonly maxInFlight: number;
  readonly maxReconnectAttempts: number;
  readonly heartbeatInterval: number;
  readonly heartbeatTimeout: number;
  readonly authTimeout: number;
  readonly ackTimeout: number;
  readonly answerTimeout: number;
  readonly pollTimeout: number;
  readonly pollInterval: number;
  readonly strictParams: boolean;
  readonly uploadThreshold: number;
  /** Internal: the client of `dryRun()` requests (its URL carries `dryRun=1`). */
  readonly dryRun: boolean;
  readonly WebSocket: WebSocketConstructor | undefined;
  readonly logger: LogSink | undefined;
}

/** The default endpoint of the Runware WebSocket API. */
export const DEFAULT_URL = 'wss://ws-api.runware.ai/v1';

const API_KEY_REQUIRED = 'apiKey is required: pass it (a key, or a function that returns one) or set RUNWARE_API_KEY';

/** A key with something in it besides spaces, or a function asked for one at each authentication. */
const isKeySource = (value: unknown): value is ApiKeySource => (typeof value === 'string' && value.trim() !== '') || typeof value === 'function';

const trimKey = (key: ApiKeySource): ApiKeySource => (typeof key === 'string' ? key.trim() : key);

const SOCKET_SCHEME = /^wss?:\/\//i;

function parsesAsUrl(text: string): boolean {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

/** What is wrong with a `url` option, in words; `undefined` when nothing is. */
function urlProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'url must be a string';
  if (!SOCKET_SCHEME.test(value)) return 'url must start with ws:// or wss://';
  return parsesAsUrl(value) ? undefined : 'url must be a valid URL';
}

const HTTP_SCHEME = /^https?:\/\//i;

/** What is wrong with an `httpUrl` option, in words; `undefined` when nothing is. */
function httpUrlProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'httpUrl must be a string';
  if (!HTTP_SCHEME.test(value)) return 'httpUrl must start with http:// or https://';
  return parsesAsUrl(value) ? undefined : 'httpUrl must be a valid URL';
}

/** Checks options at creation, so a bad one is a clear error then and not a hang later. */
export const runwareOptionsSchema = v.strictObject({
  // The key and the URL are each one check rather than a union or a pipe of several: every client
  // is checked when it is made, and a serverless function makes one per call.
  apiKey: v.pipe(v.custom<ApiKeySource>(isKeySource, API_KEY_REQUIRED), v.transform(trimKey)),
  dangerouslyAllowBrowser: v.optional(v.boolean('dangerouslyAllowBrowser must be true or false')),
  url: v.custom<string>((value) => urlProblem(value) === undefined, (issue) => urlProblem(issue.input) ?? 'url must be a valid URL'),
  httpUrl: v.optional(v.custom<string>((value) => httpUrlProblem(value) === undefined, (issue) => httpUrlProblem(issue.input) ?? 'httpUrl must be a valid URL')),
  timeout: deadlineOption('timeout'),
  maxRetries: countOption('maxRetries', 0),
  retryFailed: v.optional(v.boolean('retryFailed must be true or false')),
  retryDelay: delayOption('retryDelay'),
  maxInFlight: countOption('maxInFlight', 1),
  maxReconnectAttempts: countOption('maxReconnectAttempts', 0),
  heartbeatInterval: deadlineOption('heartbeatInterval'),
  heartbeatTimeout: deadlineOption('heartbeatTimeout'),
  authTimeout: deadlineOption('authTimeout'),
  ackTimeout: deadlineOption('ackTimeout'),
  answerTimeout: deadlineOption('answerTimeout'),
  pollTimeout: deadlineOption('pollTimeout'),
  pollInterval: delayOption('pollInterval'),
  strictParams: v.optional(v.boolean('strictParams must be true or false')),
  uploadThreshold: countOption('uploadThreshold', 0),
  WebSocket: v.optional(v.custom<WebSocketConstructor>((value) => typeof value === 'function', 'WebSocket must be a constructor')),
  logger: v.optional(v.custom<LogSink>((value) => typeof value === 'function', 'logger must be a function')),
});
