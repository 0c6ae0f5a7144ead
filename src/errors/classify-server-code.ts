import type { RunwareErrorCode } from './runware-error.js';

/*
 * The server has hundreds of codes and says they are still being standardised, so a few exact
 * names come first and naming patterns catch the rest (the families the official SDKs use).
 * Exact names are listed only where no pattern gets them right. Kept as text: this table ships
 * in every browser bundle.
 */
const EXACT_TEXT: Readonly<Partial<Record<RunwareErrorCode, string>>> = {
  validation:
    'conflictTaskUUID validationFailed transparentModelMismatch modelOwnershipValidationError modelAlreadyExists maxLycorisModelsExceeded duplicatePreloadModelAIR',
  auth: 'unauthorized forbidden permissionDenied insufficientPermissions authenticationFailed',
  quota: 'paymentRequired',
  safety: 'moderationFailed promptBlocked imageBlocked',
  notFound: 'unknownModel taskCancelled',
  provider: 'inferenceError processingFailed taskFailed downloadFailed uploadFailed noAvailableServer modelUnavailable modelDisabled modelNotReady mediaStorageFileCouldNotBeMoved',
  serverError:
    'internalServerError serviceUnavailable serverUnavailable standardError unknownError undefinedError defaultError unrecognizedResponse errorRetrievingAccountManagement',
};

// Order matters: auth before "Expired" (tokenExpired), safety and notFound before "provider".
const PATTERNS: readonly (readonly [RegExp, RunwareErrorCode])[] = [
  // An HTTP refusal that came without a Runware error, named by its status (`http429`).
  [/^http40[13]$/, 'auth'],
  [/^http402$/, 'quota'],
  [/^http404$/, 'notFound'],
  [/^http429$/, 'rateLimit'],
  [/^http5\d\d$/, 'serverError'],
  [/^http4\d\d$/, 'validation'],
  [/ApiKey$|^(account|organization|workspace)(Suspended|Disabled)$|^token(Expired|Invalid|Missing|Revoked)$|^(invalid|missing)(Authentication|Credentials)$/, 'auth'],
  [/Credits|Quota|Balance|^quota/, 'quota'],
  [/RateLimit/i, 'rateLimit'],
  [/[cC]ontentPolicy|ContentDetected$/, 'safety'],
  [/Timeout/i, 'timeout'],
  [/(NotFound|Expired)$/, 'notFound'],
  [/^provider/, 'provider'],
  [/^(invalid|missing|conflict|duplicate|unsupported|unknown|incompatible|value|array|max|mismatch)/, 'validation'],
];

let exact: Map<string, RunwareErrorCode> | undefined;

/**
 * Maps the server's raw error code to runware-rx's small stable set of categories.
 *
 * @param serverCode The `code` field of a server error item.
 * @returns The category; `unknown` when nothing matches.
 */
export function classifyServerCode(serverCode: string): RunwareErrorCode {
  exact ??= new Map(
    Object.entries(EXACT_TEXT).flatMap(([code, names]) => names.split(' ').map((name) => [name, code as RunwareErrorCode] as const)),
  );
  const known = exact.get(serverCode);
  if (known !== undefined) return known;
  for (const [pattern, code] of PATTERNS) if (pattern.test(serverCode)) return code;
  return 'unknown';
}

/**
 * Whether a category is the server turning a request away at the door, before anything ran (a
 * rate limit, a 5xx): the same request may be let in later.
 *
 * @param code A category, as {@link classifyServerCode} gives it.
 * @returns `true` for `rateLimit` and `serverError`.
 */
export function isTurnedAway(code: RunwareErrorCode): boolean {
  return code === 'rateLimit' || code === 'serverError';
}
