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
 * Whether a request target's query sets a flag: `?dryRun=1` or `?dryRun=true` (any case of the value).
 *
 * @param target `request.url`.
 * @param name The query parameter.
 * @returns True when it is set to 1 or true; false otherwise, and for a target that is no URL.
 */
export const queryFlag = (target: string | undefined, name: string): boolean => {
  if (target === undefined) return false;
  try {
    const value = new URL(target.startsWith('/') ? `${BASE}${target}` : target).searchParams.get(name);
    return value === '1' || value?.toLowerCase() === 'true';
  } catch {
    return false;
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
