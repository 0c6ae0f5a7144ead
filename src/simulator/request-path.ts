/**
 * The path of a request target, parsed so that no target can throw: `new URL('//', base)` throws
 * (a scheme-relative URL with no host), and so would `decodeURIComponent` on a malformed escape.
 * Every HTTP route and WebSocket upgrade reads its path through here; `undefined` means answer 400.
 */

const BASE = 'http://simulator';

/**
 * The pathname of a request target (`/v1?sdk=js` → `/v1`, `//` → `//`), still percent-encoded.
 *
 * @param target `request.url`: origin form (`/x`), absolute form (`http://h/x`) or anything a client sent.
 * @returns The pathname, or undefined when the target is not a URL at all.
 */
export const pathOf = (target: string | undefined): string | undefined => {
  if (target === undefined) return undefined;
  try {
    // Prefixing the base (instead of passing it as the base) keeps `//x` a path, not a host.
    return new URL(target.startsWith('/') ? `${BASE}${target}` : target).pathname;
  } catch {
    return undefined;
  }
};

/**
 * One path segment, percent-decoded.
 *
 * @param segment The encoded segment.
 * @returns The decoded text, or undefined for a malformed escape (`%`, `%zz`, truncated UTF-8).
 */
export const decodeSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};
