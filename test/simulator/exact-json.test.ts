import { describe, expect, it } from 'vitest';
import { parseExactJson, writeExactJson } from '../../src/simulator/exact-json.js';

describe('simulator: exact JSON', () => {
  it('reads an integer past 2^53 − 1 as a BigInt of its digits, anywhere, and every other value as JSON.parse does', () => {
    const text = '[{"seed":9223372036854775807,"n":[-9007199254740993,9007199254740991,1.5,1e400,90071992547409930e-1],"s":"9007199254740993 \\"9007199254740993\\" \\\\","k":{"9007199254740993":true}}]';
    expect(parseExactJson(text)).toEqual([
      { seed: 9223372036854775807n, n: [-9007199254740993n, 9007199254740991, 1.5, Infinity, 9007199254740993], s: '9007199254740993 "9007199254740993" \\', k: { '9007199254740993': true } },
    ]);
  });

  it('leaves a text without such an integer to JSON.parse, errors included', () => {
    const text = '{"a":[1,2,{"b":"c"}],"__proto__":1}';
    expect(parseExactJson(text)).toEqual(JSON.parse(text));
    expect(() => parseExactJson('[9007199254740993,')).toThrow(SyntaxError);
  });

  it('writes a BigInt as its digits and everything else as JSON.stringify does', () => {
    const value = { seed: 9223372036854775807n, low: -9007199254740993n, skip: undefined, list: [1n, undefined, 'a'], text: '\u0000"' };
    expect(writeExactJson(value)).toBe('{"seed":9223372036854775807,"low":-9007199254740993,"list":[1,null,"a"],"text":"\\u0000\\""}');
    expect(writeExactJson({ a: [1, 'b'] })).toBe('{"a":[1,"b"]}');
    expect(parseExactJson(writeExactJson(value))).toEqual({ seed: 9223372036854775807n, low: -9007199254740993n, list: [1, null, 'a'], text: '\u0000"' });
  });
});
