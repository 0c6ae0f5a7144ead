import { describe, expect, it } from 'vitest';
import { classifyServerCode } from '../../src/errors/classify-server-code.js';
import type { RunwareErrorCode } from '../../src/errors/runware-error.js';

/** Raw server codes by category, from runware-protocol.md §6.2 (SDK-only codes left out). */
const TABLE: Readonly<Record<RunwareErrorCode, readonly string[]>> = {
  validation: [
    'invalidPositivePrompt',
    'invalidPositivePromptLength',
    'missingPositivePrompt',
    'unsupportedDuration',
    'unsupportedParameter',
    'unsupportedTaskType',
    'unknownParameter',
    'incompatibleParameters',
    'valueTooLarge',
    'arrayTooSmall',
    'mismatchProviderSettingsProvider',
    'unknownProviderSettingsProvider',
    'transparentModelMismatch',
    'modelOwnershipValidationError',
    'modelAlreadyExists',
    'maxLycorisModelsExceeded',
    'duplicatePreloadModelAIR',
    'conflictTaskUUID',
    'validationFailed',
    'invalidWidth',
    'invalidConfig',
  ],
  auth: [
    'invalidApiKey',
    'missingApiKey',
    'unauthorized',
    'forbidden',
    'permissionDenied',
    'insufficientPermissions',
    'authenticationFailed',
    'invalidAuthentication',
    'invalidCredentials',
    'missingAuthentication',
    'tokenExpired',
    'tokenInvalid',
    'tokenMissing',
    'tokenRevoked',
    'accountSuspended',
    'accountDisabled',
    'organizationSuspended',
    'organizationDisabled',
    'workspaceSuspended',
    'workspaceDisabled',
  ],
  quota: ['insufficientCredits', 'providerInsufficientCredits', 'thirdPartyInsufficientCredits', 'textInferenceVideoInputInsufficientCredits', 'quotaExceeded', 'paymentRequired'],
  rateLimit: ['rateLimitExceeded', 'inferenceRateLimitExceeded', 'providerRateLimitExceeded', 'inferenceRateLimitRequestTooLarge'],
  safety: [
    'contentPolicyViolation',
    'providerContentPolicyViolation',
    'sensitiveContentDetected',
    'unsafeContentDetected',
    'nsfwContentDetected',
    'promptBlocked',
    'imageBlocked',
    'moderationFailed',
  ],
  provider: [
    'providerError',
    'providerUnavailable',
    'providerBadGateway',
    'providerInternalError',
    'providerUnknownError',
    'providerAuthenticationFailed',
    'inferenceError',
    'processingFailed',
    'taskFailed',
    'downloadFailed',
    'uploadFailed',
    'noAvailableServer',
    'modelUnavailable',
    'modelDisabled',
    'modelNotReady',
    'mediaStorageFileCouldNotBeMoved',
  ],
  timeout: ['timeoutProvider', 'providerTimeout', 'providerGatewayTimeout', 'webhookTimeout', 'timeout'],
  notFound: ['modelNotFound', 'taskNotFound', 'mediaNotFound', 'providerNotFound', 'taskExpired', 'mediaExpired', 'taskCancelled', 'taskFailedOrNotFound', 'unknownModel'],
  serverError: [
    'internalServerError',
    'serviceUnavailable',
    'serverUnavailable',
    'standardError',
    'unknownError',
    'undefinedError',
    'defaultError',
    'unrecognizedResponse',
    'errorRetrievingAccountManagement',
  ],
  connection: [],
  protocol: [],
  aborted: [],
  unknown: ['somethingEntirelyNew', 'legacyError', '', 'x'],
};

const cases = Object.entries(TABLE).flatMap(([category, codes]) => codes.map((code) => [code, category] as const));

describe('classifyServerCode', () => {
  it.each(cases)('classifies %s as %s', (code, category) => {
    expect(classifyServerCode(code)).toBe(category);
  });

  it('classifies the examples of the brief', () => {
    expect({
      invalidApiKey: classifyServerCode('invalidApiKey'),
      insufficientCredits: classifyServerCode('insufficientCredits'),
      providerRateLimitExceeded: classifyServerCode('providerRateLimitExceeded'),
      timeoutProvider: classifyServerCode('timeoutProvider'),
      taskNotFound: classifyServerCode('taskNotFound'),
      internalServerError: classifyServerCode('internalServerError'),
      conflictTaskUUID: classifyServerCode('conflictTaskUUID'),
      invalidWidth: classifyServerCode('invalidWidth'),
      contentPolicyViolation: classifyServerCode('contentPolicyViolation'),
      providerError: classifyServerCode('providerError'),
      notARealCode: classifyServerCode('notARealCode'),
    }).toEqual({
      invalidApiKey: 'auth',
      insufficientCredits: 'quota',
      providerRateLimitExceeded: 'rateLimit',
      timeoutProvider: 'timeout',
      taskNotFound: 'notFound',
      internalServerError: 'serverError',
      conflictTaskUUID: 'validation',
      invalidWidth: 'validation',
      contentPolicyViolation: 'safety',
      providerError: 'provider',
      notARealCode: 'unknown',
    });
  });

  it('prefers the more specific family for provider codes: credits, rate limits, timeouts, policy, not found', () => {
    expect(classifyServerCode('providerInsufficientCredits')).toBe('quota');
    expect(classifyServerCode('providerRateLimitExceeded')).toBe('rateLimit');
    expect(classifyServerCode('providerTimeout')).toBe('timeout');
    expect(classifyServerCode('providerContentPolicyViolation')).toBe('safety');
    expect(classifyServerCode('providerNotFound')).toBe('notFound');
  });

  it('recognises families by naming pattern for codes it has never seen', () => {
    expect(classifyServerCode('invalidSteps')).toBe('validation');
    expect(classifyServerCode('missingModel')).toBe('validation');
    expect(classifyServerCode('loraNotFound')).toBe('notFound');
    expect(classifyServerCode('uploadExpired')).toBe('notFound');
    expect(classifyServerCode('providerSomethingNew')).toBe('provider');
    expect(classifyServerCode('queueTimeout')).toBe('timeout');
    expect(classifyServerCode('monthlyCreditsExhausted')).toBe('quota');
    expect(classifyServerCode('accountBalanceTooLow')).toBe('quota');
    expect(classifyServerCode('dailyQuotaReached')).toBe('quota');
  });
});
