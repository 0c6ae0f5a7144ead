import { describe, expect, it } from 'vitest';
import { utf8Length } from '../../src/util/utf8-length.js';

describe('utf8Length', () => {
  it('counts what a WebSocket peer counts: one to four bytes a character', () => {
    for (const text of ['', 'plain ASCII', 'é', '€', '😀', JSON.stringify({ prompt: 'café 😀 €uro 東京', n: 1 }), 'A'.repeat(10_000)])
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
  });
});
