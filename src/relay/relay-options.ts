import { httpUrlOf } from '../connection/http-url.js';
import { ValidationError } from '../errors/validation-error.js';
import type { ValidationIssue } from '../errors/validation-error.js';
import { MAX_TIMER_MS } from '../util/max-timer.js';
import { MIN_SECRET_LENGTH } from '../util/redact.js';
import type { RelayOptions } from './relay-types.js';

/** The default endpoint of the Runware WebSocket API. */
const RUNWARE_URL = 'wss://ws-api.runware.ai/v1';

/** Every relay option with its default applied. */
export interface ResolvedRelayOptions {
  readonly apiKey: string;
  readonly url: string;
  /** Runware's HTTP endpoint, where streamed text goes. */
  readonly httpUrl: string;
  readonly authorize: RelayOptions['authorize'];
  readonly origins: readonly string[] | undefined;
  readonly sessionBufferMs: number;
  readonly authTimeout: number;
  readonly authorizeTimeout: number;
  readonly idleTimeout: number;
  readonly taskIdleTimeout: number;
  readonly firstAnswerTimeout: number;
  readonly pollGatherMs: number;
  readonly ownershipTtlMs: number;
  readonly maxPayload: number;
  readonly maxUnauthenticatedPayload: number;
  readonly maxTasksPerFrame: number;
  readonly maxUUIDsPerTask: number;
  readonly maxBufferedBytes: number;
  readonly unclaimedInputs: 'allow' | 'refuse';
  readonly heartbeatInterval: number;
  readonly heartbeatTimeout: number;
  readonly retryDelay: number;
  readonly closeTimeout: number;
}

const fromEnvironment = (name: string): string | undefined => {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
};

/** Waits a timer can take (Node turns anything above 2^31−1 ms into 1 ms); some may be `Infinity` (none). */
const isDuration = (value: unknown, infinite: boolean): boolean =>
  (infinite && value === Infinity) || (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_TIMER_MS);
const MAY_BE_INFINITE = new Set(['authTimeout', 'authorizeTimeout', 'idleTimeout', 'taskIdleTimeout', 'firstAnswerTimeout', 'heartbeatInterval', 'heartbeatTimeout']);
/** Sizes and counts: whole numbers from 1 up. */
const isCount = (value: unknown): boolean => typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
const MiB = 1024 * 1024;

/**
 * Checks the relay's options and fills in the defaults.
 *
 * @param options What the application passed.
 * @returns The complete options.
 * @throws {ValidationError} Naming the option at fault: no key (or one too short to be kept out of
 *   frames), no `authorize`, a URL that is not ws:// or wss:// (an `httpUrl` not http:// or
 *   https://), a time that is not a duration, a size or count that is not a whole number from 1.
 */
export function resolveRelayOptions(options: RelayOptions): ResolvedRelayOptions {
  const issues: ValidationIssue[] = [];
  const apiKey = options.apiKey ?? fromEnvironment('RUNWARE_API_KEY');
  const url = options.url ?? fromEnvironment('RUNWARE_URL') ?? RUNWARE_URL;
  if (typeof apiKey !== 'string' || apiKey.trim().length < MIN_SECRET_LENGTH) {
    issues.push({ path: 'apiKey', message: `apiKey is required (the real Runware key, at least ${MIN_SECRET_LENGTH} characters): pass it or set RUNWARE_API_KEY` });
  }
  if (typeof options.authorize !== 'function') issues.push({ path: 'authorize', message: 'authorize must be a function that returns a policy or a refusal' });
  if (!/^wss?:\/\//i.test(url)) issues.push({ path: 'url', message: 'url must start with ws:// or wss://' });
  // The socket's twin unless given; a url that does not parse has its own issue.
  const httpUrl = options.httpUrl ?? (URL.canParse(url) ? httpUrlOf(url) : undefined);
  if (httpUrl !== undefined && (!/^https?:\/\//i.test(httpUrl) || !URL.canParse(httpUrl))) issues.push({ path: 'httpUrl', message: 'httpUrl must be an http:// or https:// URL' });
  const resolved: ResolvedRelayOptions = {
    apiKey: apiKey?.trim() ?? '',
    url,
    httpUrl: httpUrl ?? '',
    authorize: options.authorize,
    origins: options.origins,
    sessionBufferMs: options.sessionBufferMs ?? 120_000,
    authTimeout: options.authTimeout ?? 15_000,
    authorizeTimeout: options.authorizeTimeout ?? 10_000,
    idleTimeout: options.idleTimeout ?? 120_000,
    taskIdleTimeout: options.taskIdleTimeout ?? 600_000,
    firstAnswerTimeout: options.firstAnswerTimeout ?? 10_000,
    pollGatherMs: options.pollGatherMs ?? 50,
    ownershipTtlMs: options.ownershipTtlMs ?? 86_400_000,
    maxPayload: options.maxPayload ?? 16 * MiB,
    maxUnauthenticatedPayload: options.maxUnauthenticatedPayload ?? 64 * 1024,
    maxTasksPerFrame: options.maxTasksPerFrame ?? 20_000,
    maxUUIDsPerTask: options.maxUUIDsPerTask ?? 256,
    maxBufferedBytes: options.maxBufferedBytes ?? 16 * MiB,
    unclaimedInputs: options.unclaimedInputs ?? 'allow',
    heartbeatInterval: options.heartbeatInterval ?? 20_000,
    heartbeatTimeout: options.heartbeatTimeout ?? 10_000,
    retryDelay: options.retryDelay ?? 1000,
    closeTimeout: options.closeTimeout ?? 5000,
  };
  for (const name of ['sessionBufferMs', 'authTimeout', 'authorizeTimeout', 'idleTimeout', 'taskIdleTimeout', 'firstAnswerTimeout', 'pollGatherMs', 'ownershipTtlMs', 'heartbeatInterval', 'heartbeatTimeout', 'retryDelay', 'closeTimeout'] as const) {
    const infinite = MAY_BE_INFINITE.has(name);
    if (!isDuration(resolved[name], infinite)) issues.push({ path: name, message: `${name} must be a number of milliseconds from 0 to ${MAX_TIMER_MS}${infinite ? ', or Infinity' : ''}` });
  }
  for (const name of ['maxPayload', 'maxUnauthenticatedPayload', 'maxBufferedBytes'] as const) {
    if (!isCount(resolved[name])) issues.push({ path: name, message: `${name} must be a whole number of bytes, at least 1` });
  }
  for (const name of ['maxTasksPerFrame', 'maxUUIDsPerTask'] as const) {
    if (!isCount(resolved[name])) issues.push({ path: name, message: `${name} must be a whole number, at least 1` });
  }
  if (isCount(resolved.maxPayload) && isCount(resolved.maxUnauthenticatedPayload) && resolved.maxUnauthenticatedPayload > resolved.maxPayload) {
    issues.push({ path: 'maxUnauthenticatedPayload', message: 'maxUnauthenticatedPayload must not be larger than maxPayload' });
  }
  if (resolved.unclaimedInputs !== 'allow' && resolved.unclaimedInputs !== 'refuse') issues.push({ path: 'unclaimedInputs', message: "unclaimedInputs must be 'allow' or 'refuse'" });
  if (issues.length > 0) throw new ValidationError('relay options', issues);
  return resolved;
}
