import type { RunwareError } from '../errors/runware-error.js';
import type { ApiKey } from './api-key.js';
import type { Log } from './connection-log.js';
import type { TaskLine } from './connection.js';
import { httpUrlOf } from './http-url.js';
import { lazyStreamLine } from './lazy-stream-line.js';
import type { RouteListener } from './route.js';
import type { StreamLine } from './stream-line.js';

/** Where a connection's tasks over HTTP go, with what. */
export interface HttpLinesOptions {
  /** The socket's URL, whose twin is the HTTP endpoint unless `httpUrl` names one. */
  readonly url: string;
  /** The API's HTTP endpoint. Default: the socket's twin ({@link httpUrlOf}). */
  readonly httpUrl?: string | undefined;
  /** The connection's key, read as each request is made. */
  readonly apiKey: ApiKey;
  /** The connection's log. */
  readonly log: Log | undefined;
  /** Deadline for the answer to begin, in ms. */
  readonly authTimeout: number;
}

/** The tasks of one connection that go over the API's HTTP endpoint (a streamed `textInference`). */
export interface HttpLines {
  /** A line for one task; it does not dial the socket (the connection's `stream`). */
  readonly open: (listener: RouteListener) => TaskLine;
  /** Ends every line in flight, each with an error of its own (`close()`). */
  endAll(error: () => RunwareError): void;
}

/**
 * Creates the HTTP lines of a connection: each a lazily loaded stream line, kept until it is left
 * or ended so that the connection's `close()` ends it as it ends the socket's tasks.
 *
 * @param options The endpoint, the key, the log and the deadline.
 * @returns No line yet.
 */
export function createHttpLines(options: HttpLinesOptions): HttpLines {
  const { apiKey, log } = options;
  let url: string | undefined;
  const lines = new Set<StreamLine>();
  return {
    open: (listener) => {
      const line = lazyStreamLine({ url: (url ??= options.httpUrl ?? httpUrlOf(options.url)), apiKey, log, authTimeout: options.authTimeout }, listener, (left) => lines.delete(left));
      lines.add(line);
      return line;
    },
    endAll(error) {
      for (const line of [...lines]) line.end(error());
    },
  };
}
