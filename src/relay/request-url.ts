import type { IncomingMessage } from 'node:http';

/**
 * The URL of a request (or an upgrade), or `undefined` when its target is none: `//` or `/\`
 * parse as a URL without a host, and `new URL` throws on them. A peer chooses the target, so
 * every reading of it goes through here: a throw in a server's `request` or `upgrade` listener
 * is an uncaught exception, which ends the process.
 *
 * @param request The request.
 * @returns Its URL, on a placeholder host.
 */
export function urlOf(request: IncomingMessage): URL | undefined {
  try {
    return new URL(request.url ?? '/', 'http://relay');
  } catch {
    return undefined;
  }
}
