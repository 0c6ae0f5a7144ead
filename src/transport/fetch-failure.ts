/** Error fields Node's fetch (undici) puts on the `cause` of its `TypeError`. */
interface SystemCause {
  readonly code?: unknown;
  readonly syscall?: unknown;
  readonly errors?: unknown;
}

const isObject = (value: unknown): value is SystemCause => typeof value === 'object' && value !== null;

/**
 * Whether one cause proves that no connection was ever made, so no request was written: the
 * name lookup failed (`getaddrinfo`: ENOTFOUND, EAI_AGAIN), the connection was refused or could
 * not be routed (`connect`: ECONNREFUSED, EHOSTUNREACH, ENETUNREACH), it was not made in time
 * (undici's connect timeout), or the URL could not even be read. A request is written only on a
 * connection that opened; these all fail before one did.
 */
function beforeConnection(cause: unknown): boolean {
  if (!isObject(cause)) return false;
  // Several addresses tried one after another (Node's autoSelectFamily): every one of them failed so.
  if (Array.isArray(cause.errors) && cause.errors.length > 0 && cause.errors.every(beforeConnection)) return true;
  const { code, syscall } = cause;
  return syscall === 'getaddrinfo' || syscall === 'connect' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ERR_INVALID_URL';
}

/**
 * Whether a failed `fetch` proves that its request never left, so the server cannot have the
 * task (nor bill it). Only failures before a connection opened count. A reset (ECONNRESET) or a
 * close (`other side closed`) may come after the request was written, and the server may have
 * started the task; a browser's fetch says only "Failed to fetch": all of these may have sent it.
 *
 * @param failure What `fetch` rejected with.
 * @returns `true` only when nothing was sent.
 */
export function neverSent(failure: unknown): boolean {
  return failure instanceof TypeError && beforeConnection(failure.cause);
}

/**
 * What a failed `fetch` says: its message, and the system's code under it (Node's "fetch failed"
 * says nothing alone).
 *
 * @param failure What `fetch` rejected with.
 * @returns Words for an error message.
 */
export function fetchFailureText(failure: unknown): string {
  if (!(failure instanceof Error)) return String(failure);
  const { cause } = failure;
  const code = isObject(cause) && typeof cause.code === 'string' ? cause.code : undefined;
  return code === undefined ? failure.message : `${failure.message} (${code})`;
}
