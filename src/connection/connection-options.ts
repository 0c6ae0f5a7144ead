import type { LogSink } from '../util/log.js';
import type { ApiKeySource } from './api-key.js';
import type { LinkOptions } from './link.js';

/** Everything the connection needs; `client/create-task-context.ts` builds it from the resolved options. */
export interface ConnectionOptions extends Omit<LinkOptions, 'apiKey'> {
  /** The key, or a function asked for it at each authentication (a token that expires). */
  readonly apiKey: ApiKeySource;
  /** Largest outbound frame, in characters, before the batch is split. */
  readonly maxFrameLength: number;
  /** Queued characters that are written at once rather than at the end of the turn. */
  readonly flushAt: number;
  /** Receives diagnostics (the user's `logger`), wrapped so the key is redacted. */
  readonly log: LogSink | undefined;
  /** The API's HTTP endpoint, for the tasks that stream over HTTP. Default: the socket's twin (`http-url.ts`). */
  readonly httpUrl?: string | undefined;
}
