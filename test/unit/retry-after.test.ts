import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../src/protocol/retry-after.js';

describe('retryAfterMs', () => {
  const now = Date.parse('Wed, 02 Dec 2026 08:00:00 GMT');

  it('reads delay-seconds, and an HTTP date as the time until it (0 once past)', () => {
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Wed, 02 Dec 2026 08:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Wed, 02 Dec 2026 07:59:00 GMT', now)).toBe(0);
  });

  it('is undefined when absent or not as HTTP spells it, so nothing ill-formed is waited for or passed on', () => {
    for (const header of [undefined, null, '', '-1', '1.5', 'soon', '2026-12-02T08:00:05Z', '3\r\nSet-Cookie: x=1', '1234567890']) expect(retryAfterMs(header, now), String(header)).toBeUndefined();
  });
});
