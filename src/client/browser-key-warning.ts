import type { ApiKeySource } from '../connection/api-key.js';
import type { Log } from '../connection/connection-log.js';

/**
 * What a real Runware API key looks like: 32 letters and digits. Session tokens a relay hands
 * out look otherwise (a JWT has dots, a UUID hyphens, nanoid's 21 characters or base64url's 43
 * are other lengths), so they pass quietly. A function is not read here: it is what a page that
 * fetches tokens from its server uses.
 */
const RAW_KEY = /^[A-Za-z0-9]{32}$/;

let warned = false;

/**
 * Tells whether a key looks like a raw Runware API key rather than a relay's session token.
 *
 * @param key The key given to the client.
 * @returns `true` for a string of 32 letters and digits.
 */
export function looksLikeRawKey(key: ApiKeySource): boolean {
  return typeof key === 'string' && RAW_KEY.test(key);
}

/**
 * Whether the code runs in a page or a web worker, where every visitor can read the key. Asked
 * when a client is created, never at import, so server-side rendering and tests that install a
 * DOM later are judged by where the client is made.
 *
 * @returns `true` in a browser (a window with a document, or a worker).
 */
export function inBrowser(): boolean {
  const scope = globalThis as { window?: unknown; document?: unknown; importScripts?: unknown; WorkerGlobalScope?: unknown };
  const page = typeof scope.window === 'object' && scope.window !== null && typeof scope.document === 'object' && scope.document !== null;
  const worker = typeof scope.WorkerGlobalScope === 'function' && typeof scope.importScripts === 'function';
  return page || worker;
}

/**
 * Warns once per page when a client in a browser is given what looks like a raw API key, unless
 * `dangerouslyAllowBrowser` says the page is trusted. The warning goes to the client's logger
 * when it has one, else to `console.warn`; it never quotes the key.
 *
 * @param options The key and the opt-out.
 * @param log The client's log, if it has a logger.
 */
export function warnAboutBrowserKey(options: { readonly apiKey: ApiKeySource; readonly dangerouslyAllowBrowser: boolean }, log: Log | undefined): void {
  // Where the code runs is asked first: it is a few property reads, and outside a browser the key need not be looked at.
  if (warned || options.dangerouslyAllowBrowser || !inBrowser() || !looksLikeRawKey(options.apiKey)) return;
  warned = true;
  const line =
    'a Runware API key in a browser page is readable by everyone who loads the page. Keep it on a server and give the page a session token for a relay (runware-rx/relay), or set dangerouslyAllowBrowser: true if this page is trusted.';
  if (log === undefined) console.warn(`runware-rx: ${line}`);
  else log('warn', 'apiKey.browser', line);
}
