import * as v from 'valibot';
import type { ValidationIssue } from '../errors/validation-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { closestName } from '../util/closest-name.js';
import type { ResolvedOptions, RunwareOptions } from './options.js';
import { DEFAULT_URL, runwareOptionsSchema } from './options.js';

interface ProcessLike {
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Reads an environment variable where there is an environment (Node, Deno, Bun); browsers have none. */
function fromEnvironment(name: string): string | undefined {
  const { process } = globalThis as { process?: ProcessLike };
  const value = process?.env?.[name];
  return value === undefined || value === '' ? undefined : value;
}

let known: ReadonlySet<string> | undefined;

/** Options nobody knows, in plain words, with the one probably meant. */
function unknownOptions(options: object): ValidationIssue[] {
  const KNOWN = (known ??= new Set(Object.keys(runwareOptionsSchema.entries)));
  return Object.keys(options)
    .filter((name) => !KNOWN.has(name))
    .map((name) => {
      const meant = closestName(name, KNOWN);
      return { path: name, message: `unknown option ${JSON.stringify(name)}${meant === undefined ? '' : ` (did you mean ${JSON.stringify(meant)}?)`}` };
    });
}

/**
 * Checks the options and fills in every default.
 *
 * @param options What the caller passed.
 * @returns The complete options.
 * @throws {ValidationError} When an option is missing or wrong, naming it in `parameter`.
 */
export function resolveOptions(options: RunwareOptions): ResolvedOptions {
  // Own properties only, as for every option, and `null` from plain JavaScript is no options.
  const candidate: { -readonly [K in keyof RunwareOptions]: RunwareOptions[K] } = { ...options };
  candidate.apiKey ??= fromEnvironment('RUNWARE_API_KEY');
  const urlFromEnvironment = candidate.url === undefined ? fromEnvironment('RUNWARE_URL') : undefined;
  candidate.url ??= urlFromEnvironment ?? DEFAULT_URL;
  const parsed = v.safeParse(runwareOptionsSchema, candidate);
  // The schema is strict, so an unknown option fails the parse too: the options are only scanned
  // for names nobody knows when there is something to report. The key itself is never echoed
  // back: only where the problem is and what is expected.
  if (!parsed.success) {
    const unknown = unknownOptions(candidate);
    // Unknown options are reported once, in words, not again as valibot's "Expected never".
    const named = new Set(unknown.map((issue) => issue.path));
    const issues = parsed.issues.map((issue) => {
      const path = v.getDotPath(issue) ?? '';
      // A url the caller never wrote is named by where it came from.
      const message = path === 'url' && urlFromEnvironment !== undefined ? issue.message.replace(/^url /, 'url (from RUNWARE_URL) ') : issue.message;
      return { path, message };
    });
    throw new ValidationError('client options', [...unknown, ...issues.filter((issue) => !named.has(issue.path))]);
  }
  const resolved = parsed.output;
  return {
    apiKey: resolved.apiKey,
    dangerouslyAllowBrowser: resolved.dangerouslyAllowBrowser ?? false,
    url: resolved.url,
    httpUrl: resolved.httpUrl,
    timeout: resolved.timeout,
    maxRetries: resolved.maxRetries ?? 2,
    retryFailed: resolved.retryFailed ?? false,
    retryDelay: resolved.retryDelay ?? 1000,
    maxInFlight: resolved.maxInFlight ?? Infinity,
    maxReconnectAttempts: resolved.maxReconnectAttempts ?? Infinity,
    heartbeatInterval: resolved.heartbeatInterval ?? 20_000,
    heartbeatTimeout: resolved.heartbeatTimeout ?? 10_000,
    authTimeout: resolved.authTimeout ?? 15_000,
    ackTimeout: resolved.ackTimeout ?? 30_000,
    answerTimeout: resolved.answerTimeout ?? 120_000,
    pollTimeout: resolved.pollTimeout ?? 10_000,
    pollInterval: resolved.pollInterval ?? 1000,
    strictParams: resolved.strictParams ?? false,
    uploadThreshold: resolved.uploadThreshold ?? 1_048_576,
    dryRun: false,
    WebSocket: resolved.WebSocket,
    logger: resolved.logger,
  };
}
