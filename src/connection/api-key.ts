import { RunwareError } from '../errors/runware-error.js';

/**
 * Where the key of a connection comes from: the key itself, or a function that is asked again
 * at every authentication (a relay's session token that expires, fetched from the app's server).
 */
export type ApiKeySource = string | (() => string | Promise<string>);

/**
 * The key of one connection: read at each authentication, and the last value read remembered,
 * so that logs and errors can keep it out even when it changes from one socket to the next.
 */
export class ApiKey {
  #current: string;

  constructor(private readonly source: ApiKeySource) {
    this.#current = typeof source === 'string' ? source : '';
  }

  /** The key last read ('' before a function was first asked). */
  get current(): string {
    return this.#current;
  }

  /**
   * Reads the key for an authentication: at once for a string, through the function otherwise.
   * A function that throws or rejects gives a retryable `auth` error (its token service may be
   * back by the next attempt); one that gives no usable string, a final one.
   *
   * @returns The key, a promise of it, or the error that replaces it.
   */
  read(): string | Promise<string> | RunwareError {
    const { source } = this;
    if (typeof source === 'string') return source;
    let value: string | Promise<string>;
    try {
      value = source();
    } catch (cause) {
      return keyFunctionFailed(cause);
    }
    if (!isPromiseLike(value)) return this.#accept(value);
    return Promise.resolve(value).then(
      (resolved) => {
        const accepted = this.#accept(resolved);
        if (accepted instanceof RunwareError) throw accepted;
        return accepted;
      },
      (cause: unknown) => {
        throw keyFunctionFailed(cause);
      },
    );
  }

  #accept(value: unknown): string | RunwareError {
    if (typeof value !== 'string' || value.trim() === '') {
      return new RunwareError({ code: 'auth', message: 'The apiKey function gave no key (it must return a non-empty string).', retryable: false, taskType: 'authentication' });
    }
    this.#current = value.trim();
    return this.#current;
  }
}

/**
 * The key holder for a source, or the holder itself: the connection makes one and its link and
 * authentication share it.
 *
 * @param key A key, a function of one, or a holder.
 * @returns The holder.
 */
export function toApiKey(key: ApiKeySource | ApiKey): ApiKey {
  return key instanceof ApiKey ? key : new ApiKey(key);
}

function isPromiseLike(value: unknown): value is PromiseLike<string> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function keyFunctionFailed(cause: unknown): RunwareError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new RunwareError({ code: 'auth', message: `The apiKey function failed: ${reason}`, retryable: true, taskType: 'authentication', cause });
}
