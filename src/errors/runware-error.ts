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
}
