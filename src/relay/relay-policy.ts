import type { IncomingMessage } from 'node:http';

/*
 * What the application decides about a browser's token (its `authorize`): a policy that lets it
 * in, with the user's limits, or a refusal.
 */

/**
 * What one browser connection may do, as the application decided for the token it presented.
 * Every limit is per user (`userId`), across all of that user's sockets on this relay instance.
 */
export interface RelayPolicy {
  /** Whose tasks these are: isolation, resumed sessions and limits go by it, never by socket. */
  readonly userId: string;
  /**
   * The only task types this user may send (`getResponse`, the polling of their own tasks, is
   * always allowed). Default: every task type except the account ones below.
   */
  readonly allowedTaskTypes?: readonly string[] | undefined;
  /**
   * Lets the user send the task types that cost money or change the account beyond a
   * generation: `accountManagement`, `modelUpload` and `training`. Default `false`.
   */
  readonly allowAccountTasks?: boolean | undefined;
  /** Tasks of this user at the server at once; more are refused (retryably). Default: no limit. */
  readonly maxInFlight?: number | undefined;
  /**
   * The largest `numberResults` (and `promptVersions`) a task of this user may ask for; with a
   * limit, a count must be an integer from 1 to it. Default: no limit.
   */
  readonly maxNumberResults?: number | undefined;
  /** Submissions (not polls) per rolling minute; more are refused (retryably). Default: no limit. */
  readonly ratePerMinute?: number | undefined;
  /**
   * Where this user's tasks may send their outputs with `webhookURL` or `uploadEndpoint`: URLs
   * under one of these (same scheme, host and port, and a path that starts with the given one,
   * such as `https://hooks.app.example/runware/`). Runware posts results, which the app pays
   * for, to whatever URL a task names, so by default neither field is allowed.
   */
  readonly allowedDeliveryURLs?: readonly string[] | undefined;
  /**
   * When the token stops being valid (ms since the epoch): the socket is then closed, and a
   * client with a token function reconnects with a fresh token, keeping its session.
   */
  readonly expiresAt?: number | undefined;
}

/** A refusal with a reason of the application's own; the browser gets it as an `auth` error. */
export interface RelayRefusal {
  readonly refused: true;
  /** The error code the browser sees. Default `tokenInvalid` (`tokenExpired` suits an old token). */
  readonly code?: string | undefined;
  /** The message the browser sees. */
  readonly message?: string | undefined;
}

/** What `authorize` is asked about. */
export interface AuthorizeRequest {
  /** What the browser sent as its `apiKey`: the token your app gave it. */
  readonly token: string;
  /** The WebSocket upgrade request, or the HTTP request of a streamed text (cookies, headers such as `origin`, the URL). */
  readonly request: IncomingMessage;
}

/**
 * The application's decision on a browser's token: a policy to let it in, a refusal (or
 * `undefined`, `null`, `false`) to turn it away. Throwing (or rejecting), or taking longer than
 * `authorizeTimeout`, closes the socket without an answer (code 1011; over HTTP the answer is
 * 503), so a client tries again later rather than giving up: use it for "cannot decide now", not
 * for "no".
 */
export type Authorize = (
  request: AuthorizeRequest,
) => RelayPolicy | RelayRefusal | undefined | null | false | Promise<RelayPolicy | RelayRefusal | undefined | null | false>;
