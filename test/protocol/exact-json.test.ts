import { describe, expect, it } from 'vitest';
import { parseExactJson } from '../../src/protocol/exact-json.js';

/*
 * Every frame, the client's answers and the relay's pages, is read by parseExactJson: JSON.parse,
 * except that an integer no number holds exactly (past 2^53 − 1, such as a seed up to 2^63 − 1)
 * becomes a BigInt of the digits written.
 */

describe('parseExactJson', () => {
  it('reads an integer no number holds exactly as a BigInt of the value written, anywhere outside strings', () => {
    expect(parseExactJson('[{"seed":9223372036854775807,"a":[-9007199254740993,{"b":18446744073709551615}]}]')).toEqual([
      { seed: 9223372036854775807n, a: [-9007199254740993n, { b: 18446744073709551615n }] },
    ]);
  });

  it('reads everything else as JSON.parse does: safe integers of 16 digits, decimals and exponents, digits in strings, escaped quotes', () => {
    const text = String.raw`[{"safe":9007199254740991,"small":-1234567890123456,"decimal":12345678901234567.5,"exponent":1e12345678901234567,"fraction":0.12345678901234567,"text":"12345678901234567890","quoted":"a \"9223372036854775807\" \\","after":9223372036854775807}]`;
    const read = parseExactJson(text) as Record<string, unknown>[];
    expect({ ...read[0], after: undefined }).toEqual({ ...(JSON.parse(text) as Record<string, unknown>[])[0], after: undefined });
    expect(read[0]?.['after']).toBe(9223372036854775807n);
  });

  it('refuses what JSON.parse refuses, even when marking its integers would make JSON of it', () => {
    for (const text of ['{12345678901234567890:1}', '[012345678901234567890]', '[1 12345678901234567890]', '["12345678901234567890]']) {
      expect(() => parseExactJson(text)).toThrow(SyntaxError);
    }
  });

  it('does not mistake a string of the shape of a tag for an integer', () => {
    expect(parseExactJson('["\\u0000tag:12345678901234567890",12345678901234567890]')).toEqual(['\u0000tag:12345678901234567890', 12345678901234567890n]);
  });

  it('finds such an integer wherever JSON puts a number: the whole text, a list, after white space', () => {
    expect(parseExactJson('12345678901234567890')).toBe(12345678901234567890n);
    expect(parseExactJson('[ \n\t12345678901234567890 , -12345678901234567890]')).toEqual([12345678901234567890n, -12345678901234567890n]);
    expect(parseExactJson('{"a" :\r\n 9223372036854775807}')).toEqual({ a: 9223372036854775807n });
  });

  it('leaves digits after a colon, a comma or a bracket inside a string as text', () => {
    expect(parseExactJson('{"url":"http://x.test/a:12345678901234567890,[12345678901234567890"}')).toEqual({ url: 'http://x.test/a:12345678901234567890,[12345678901234567890' });
  });
});
