import { DEFAULT_URL } from 'runware-rx';

/** Where the demo's requests go, named for what it is. */
export type Target =
  | { readonly kind: 'embedded' }
  | { readonly kind: 'local'; readonly url: string; readonly apiKey: string }
  | { readonly kind: 'api'; readonly url: string; readonly apiKey: string };

/** Hosts that are this machine: a server there is a simulator (or a stand-in), not Runware. */
const isLoopback = (hostname: string): boolean =>
  hostname === 'localhost' ||
  hostname.endsWith('.localhost') ||
  /^127\.\d+\.\d+\.\d+$/.test(hostname) ||
  hostname === '[::1]' ||
  hostname === '0.0.0.0';

/**
 * Picks the target from the environment: no key and no URL runs the embedded simulator; a URL
 * on this machine is a simulator (any key will do); otherwise the Runware API, which needs a key.
 *
 * @param env `RUNWARE_API_KEY` and `RUNWARE_URL`.
 * @returns The target.
 * @throws {Error} When a remote URL is given without a key.
 */
export function chooseTarget(env: { readonly RUNWARE_API_KEY?: string | undefined; readonly RUNWARE_URL?: string | undefined }): Target {
  const { RUNWARE_API_KEY: apiKey, RUNWARE_URL: url } = env;
  if (apiKey === undefined && url === undefined) return { kind: 'embedded' };
  const target = url ?? DEFAULT_URL;
  if (isLoopback(new URL(target).hostname)) return { kind: 'local', url: target, apiKey: apiKey ?? 'demo-key' };
  if (apiKey === undefined) throw new Error(`RUNWARE_URL is ${target}, a remote server: set RUNWARE_API_KEY too.`);
  return { kind: 'api', url: target, apiKey };
}

/**
 * The line the demo starts with.
 *
 * @param target Where the requests go.
 * @param url The URL in use (the embedded simulator's, once started).
 * @returns The sentence.
 */
export function describeTarget(target: Target, url: string): string {
  switch (target.kind) {
    case 'embedded':
      return `Using the embedded Runware simulator at ${url}`;
    case 'local':
      return `Using a Runware simulator at ${target.url} (RUNWARE_URL is on this machine).`;
    case 'api':
      return `Using the Runware API at ${target.url} (RUNWARE_API_KEY is set): this spends credits.`;
  }
}
