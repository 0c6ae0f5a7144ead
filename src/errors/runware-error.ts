/**
 * The stable categories every runware-rx error falls into. Branch on these, not on messages;
 * the server's own code is kept as `serverCode`.
 */
export type RunwareErrorCode =
  | 'validation'
  | 'auth'
  | 'quota'
  | 'rateLimit'
  | 'safety'
  | 'provider'
  | 'timeout'
  | 'notFound'
  | 'serverError'
  | 'connection'
  | 'aborted'
  | 'protocol'
  | 'unknown';

const RETRYABLE_BY_DEFAULT: ReadonlySet<RunwareErrorCode> = new Set([
  'rateLimit',
  'provider',
  'timeout',
  'serverError',
  'connection',
]);

/**
 * The key of each runware-rx error class's own name, the same in every copy of the package (its
 * ES and CommonJS builds, another realm), for `instanceof` across copies.
 */
const ERROR_CLASS: unique symbol = Symbol.for('runware-rx.error-class');

/** Whether `value` was made by the class of the given name in some copy of runware-rx. */
function madeByClassNamed(value: unknown, name: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  for (let proto: object | null = Object.getPrototypeOf(value) as object | null; proto !== null; proto = Object.getPrototypeOf(proto) as object | null) {
    const made: unknown = Object.hasOwn(proto, 'constructor') ? (proto as { constructor: unknown }).constructor : undefined;
    if (typeof made === 'function' && Object.hasOwn(made, ERROR_CLASS) && (made as { [ERROR_CLASS]?: unknown })[ERROR_CLASS] === name) return true;
  }
  return false;
}

/** What a {@link RunwareError} is made of; only `code` and `message` are required. */
export interface RunwareErrorOptions {
  /** The stable category. */
  readonly code: RunwareErrorCode;
  /** Human-readable text; never contains the API key. */
  readonly message: string;
  /** Whether trying again may succeed; defaults by category. */
  readonly retryable?: boolean;
  /** The task the error belongs to, when it belongs to one. */
  readonly taskUUID?: string | undefined;
  /** The task's type, filled from the request when the server omits it. */
  readonly taskType?: string | undefined;
  /** The request parameter at fault, as the server or the validator named it. */
  readonly parameter?: string | undefined;
  /** The server's raw error code, e.g. `invalidApiKey` or `timeoutProvider`. */
  readonly serverCode?: string | undefined;
  /** Further fields the server sent (`allowedValues`, `documentation`, ...). */
  readonly details?: Readonly<Record<string, unknown>> | undefined;
  /**
   * Whether the task was written to the socket at least once. `false`: it never left this
   * client (queued, or refused before sending), so the server cannot have run or billed it.
   */
  readonly sent?: boolean | undefined;
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

/**
 * The one error class runware-rx raises (subclasses add detail). Errors travel on the
 * Observable's error channel and reject the Promise wrappers; nothing else is ever thrown.
 *
 * @example
 * ```ts
 * runware.imageInference(params).catch((error) => {
 *   if (isRunwareError(error) && error.code === 'validation') console.error(error.parameter);
 * });
 * ```
 */
export class RunwareError extends Error {
  /** @internal The class's name in every copy of runware-rx. */
  static readonly [ERROR_CLASS]: string = 'RunwareError';

  /**
   * `instanceof` that also holds for an error of this class made by another copy of runware-rx
   * (an application that loads both its ES and its CommonJS build has two of every class). A
   * class of the caller's own, derived from one of these, keeps plain `instanceof`.
   *
   * @param value Anything.
   * @returns Whether `value` is an instance of this class.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (!Object.hasOwn(this, ERROR_CLASS)) return false;
    return madeByClassNamed(value, (this as unknown as { [ERROR_CLASS]: string })[ERROR_CLASS]);
  }

  override readonly name: string = 'RunwareError';
  readonly code: RunwareErrorCode;
  readonly retryable: boolean;
  // `declare`: fields set only when given, so an error has no `taskUUID: undefined` own property.
  declare readonly taskUUID?: string;
  declare readonly taskType?: string;
  declare readonly parameter?: string;
  declare readonly serverCode?: string;
  declare readonly details?: Readonly<Record<string, unknown>>;
  declare readonly sent?: boolean;

  constructor(options: RunwareErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(options.code);
    if (options.taskUUID !== undefined) this.taskUUID = options.taskUUID;
    if (options.taskType !== undefined) this.taskType = options.taskType;
    if (options.parameter !== undefined) this.parameter = options.parameter;
    if (options.serverCode !== undefined) this.serverCode = options.serverCode;
    if (options.details !== undefined) this.details = options.details;
    if (options.sent !== undefined) this.sent = options.sent;
  }

  /**
   * What `JSON.stringify` writes: the name, the message and every field set (not the stack, nor
   * the cause, which may be anything). Without it the message, which `Error` keeps out of sight of
   * JSON, would be missing from every log line and job record.
   *
   * @returns A plain object.
   */
  toJSON(): Record<string, unknown> {
    const fields: Record<string, unknown> = { ...(this as object) };
    return { name: this.name, message: this.message, ...fields };
  }
}

export { ERROR_CLASS };
