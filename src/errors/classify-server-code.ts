import type { RunwareErrorCode } from './runware-error.js';

/*
 * The server has hundreds of codes and says they are still being standardised, so exact names
 * come first and naming patterns catch the rest (the same families the official SDKs use).
 */
const EXACT: Readonly<Record<string, RunwareErrorCode>> = {
  conflictTaskUUID: 'validation',
  validationFailed: 'validation',
  transparentModelMismatch: 'validation',
  modelOwnershipValidationError: 'validation',
  modelAlreadyExists: 'validation',
  maxLycorisModelsExceeded: 'validation',
  duplicatePreloadModelAIR: 'validation',
  tokenExpired: 'auth',
  quotaExceeded: 'quota',
  invalidApiKey: 'auth',
  missingApiKey: 'auth',
  unauthorized: 'auth',
  forbidden: 'auth',
  permissionDenied: 'auth',
  insufficientPermissions: 'auth',
  authenticationFailed: 'auth',
  paymentRequired: 'quota',
  rateLimitExceeded: 'rateLimit',
  inferenceRateLimitExceeded: 'rateLimit',
  providerRateLimitExceeded: 'rateLimit',
  inferenceRateLimitRequestTooLarge: 'rateLimit',
  contentPolicyViolation: 'safety',
  providerContentPolicyViolation: 'safety',
  sensitiveContentDetected: 'safety',
  unsafeContentDetected: 'safety',
  nsfwContentDetected: 'safety',
  promptBlocked: 'safety',
  imageBlocked: 'safety',
  moderationFailed: 'safety',
  providerNotFound: 'notFound',
  unknownModel: 'notFound',
  taskCancelled: 'notFound',
  taskFailedOrNotFound: 'notFound',
  inferenceError: 'provider',
  processingFailed: 'provider',
  taskFailed: 'provider',
  downloadFailed: 'provider',
  uploadFailed: 'provider',
  noAvailableServer: 'provider',
  modelUnavailable: 'provider',
  modelDisabled: 'provider',
  modelNotReady: 'provider',
  mediaStorageFileCouldNotBeMoved: 'provider',
  internalServerError: 'serverError',
  serviceUnavailable: 'serverError',
  serverUnavailable: 'serverError',
  standardError: 'serverError',
  unknownError: 'serverError',
  undefinedError: 'serverError',
  defaultError: 'serverError',
  unrecognizedResponse: 'serverError',
  errorRetrievingAccountManagement: 'serverError',
};

// Auth patterns come first: `tokenExpired` is an auth problem, not a missing resource.
const PATTERNS: readonly (readonly [RegExp, RunwareErrorCode])[] = [
  [/^(account|organization|workspace)(Suspended|Disabled)$|^token(Expired|Invalid|Missing|Revoked)$/, 'auth'],
  [/^(invalid|missing)(Authentication|Credentials)$/, 'auth'],
  [/Credits|Quota|Balance|^quota/, 'quota'],
  [/RateLimit/i, 'rateLimit'],
  [/Timeout/i, 'timeout'],
  [/(NotFound|Expired)$/, 'notFound'],
  [/^provider/, 'provider'],
  [/^(invalid|missing|conflict|duplicate|unsupported|unknown|incompatible|value|array|max|mismatch)/, 'validation'],
];

/**
 * Maps the server's raw error code to runware-rx's small stable set of categories.
 *
 * @param serverCode The `code` field of a server error item.
 * @returns The category; `unknown` when nothing matches.
 */
export function classifyServerCode(serverCode: string): RunwareErrorCode {
  const exact = EXACT[serverCode];
  if (exact !== undefined) return exact;
  for (const [pattern, code] of PATTERNS) if (pattern.test(serverCode)) return code;
  return 'unknown';
}
