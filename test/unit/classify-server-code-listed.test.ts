import { describe, expect, it } from 'vitest';
import { classifyServerCode } from '../../src/errors/classify-server-code.js';

describe('classifyServerCode', () => {
  it.each([
    ['tokenExpired', 'auth'],
    ['quotaExceeded', 'quota'],
    ['transparentModelMismatch', 'validation'],
    ['modelOwnershipValidationError', 'validation'],
    ['modelAlreadyExists', 'validation'],
  ])('classifies %s as %s', (code, category) => {
    expect(classifyServerCode(code)).toBe(category);
  });
});
