import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactFrameText, redactLogLine, redactSecret, redactValue } from '../../src/util/redact.js';

/* The API key is found and removed in every spelling JSON can give it, structurally where it can. */

const KEY = 'k3y"with\\odd/chars-0001';

/** Every way a JSON encoder may spell a string: as is, with some characters as \uXXXX, or all. */
const spellings = (text: string): string[] => {
  const plain = JSON.stringify(text);
  const unicodeAll = `"${Array.from(text, (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`).join('')}"`;
  const unicodeUpper = unicodeAll.replace(/\\u([0-9a-f]{4})/g, (_match, hex: string) => `\\u${hex.toUpperCase()}`);
  const slashes = plain.replace(/\//g, '\\/');
  return [plain, unicodeAll, unicodeUpper, slashes];
};

describe('redactSecret', () => {
  it('removes the key as it is, and in every JSON spelling of it', () => {
    for (const spelling of spellings(KEY)) {
      const text = `{"message":"bad key ${spelling.slice(1, -1)} given"}`;
      expect(redactSecret(text, KEY)).toBe('{"message":"bad key [redacted] given"}');
    }
    expect(redactSecret(`raw ${KEY} raw`, KEY)).toBe('raw [redacted] raw');
  });

  it('leaves short test keys alone, so that frames stay valid JSON', () => {
    expect(redactSecret('{"apiKey":"k"}', 'k')).toBe('{"apiKey":"k"}');
  });

  it('finds any key in any spelling (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8, maxLength: 40, unit: 'binary-ascii' }), fc.nat(3), (key, which) => {
        const spelling = spellings(key)[which]!.slice(1, -1);
        const redacted = redactSecret(`{"echo":"${spelling}"}`, key);
        const decoded = (JSON.parse(redacted) as { echo: string }).echo;
        return !decoded.includes(key);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('redactValue', () => {
  it('cleans every string of a parsed value, keys included, and returns the same value when nothing mentions the key', () => {
    const item = { code: 'invalidApiKey', message: `the key ${KEY} is wrong`, details: [{ [KEY]: KEY }] };
    expect(redactValue(item, KEY)).toEqual({ code: 'invalidApiKey', message: 'the key [redacted] is wrong', details: [{ '[redacted]': '[redacted]' }] });
    const clean = { code: 'invalidWidth', message: 'no' };
    expect(redactValue(clean, KEY)).toBe(clean);
  });

  it('walks a value nested ten thousand deep without overflowing the stack', () => {
    let deep: unknown = { message: KEY };
    for (let depth = 0; depth < 10_000; depth += 1) deep = { nested: deep };
    const redacted = redactValue(deep, KEY);
    let node = redacted as { nested?: unknown; message?: string };
    while (node.nested !== undefined) node = node.nested as typeof node;
    expect(node.message).toBe('[redacted]');
  });
});

describe('redactFrameText', () => {
  it('redacts a frame on its parsed values, whatever the spelling', () => {
    for (const spelling of spellings(KEY)) {
      const frame = `{"errors":[{"code":"invalidApiKey","message":${spelling}}]}`;
      const redacted = redactFrameText(frame, KEY);
      expect(JSON.parse(redacted)).toEqual({ errors: [{ code: 'invalidApiKey', message: '[redacted]' }] });
    }
  });

  it('keeps every number of the frame as it was written, integers past 2^53 − 1 included', () => {
    const frame = `[{"taskType":"imageInference","seed":9007199254740993,"apiKey":${JSON.stringify(KEY)},"offsets":[-9223372036854775807,18446744073709551615],"scale":1.50}]`;
    const redacted = redactFrameText(frame, KEY);
    expect(redacted).not.toContain('k3y');
    expect(redacted).toBe('[{"taskType":"imageInference","seed":9007199254740993,"apiKey":"[redacted]","offsets":[-9223372036854775807,18446744073709551615],"scale":1.50}]');
  });

  it('falls back to the pattern for text that is not JSON, and never throws on a frame too deep to serialise', () => {
    expect(redactFrameText(`<html>${KEY}</html>`, KEY)).toBe('<html>[redacted]</html>');
    const deep = `${'['.repeat(20_000)}"${KEY}"${']'.repeat(20_000)}`;
    expect(() => redactFrameText(deep, KEY)).not.toThrow();
    expect(redactFrameText(deep, KEY)).not.toContain(KEY);
  });
});

describe('redactLogLine', () => {
  it('removes a secret shorter than the JSON rule allows, every occurrence', () => {
    expect(redactLogLine('no entry for c0d3-42 (c0d3-42)', 'c0d3-42')).toBe('no entry for [redacted] ([redacted])');
  });

  it('removes a long one in every JSON spelling, as redactSecret does', () => {
    expect(redactLogLine('key "abc\\u0064efghij" refused', 'abcdefghij')).toBe(redactSecret('key "abc\\u0064efghij" refused', 'abcdefghij'));
    expect(redactLogLine('key "abc\\u0064efghij" refused', 'abcdefghij')).not.toContain('efghij');
  });

  it('leaves a line alone for an empty secret', () => {
    expect(redactLogLine('nothing to hide', '')).toBe('nothing to hide');
  });

  it('removes a short secret where it stands on its own: between spaces, quotes, punctuation, at either end', () => {
    expect(redactLogLine('c0d3-42: no entry for "c0d3-42", nor (c0d3-42). c0d3-42', 'c0d3-42')).toBe('[redacted]: no entry for "[redacted]", nor ([redacted]). [redacted]');
    expect(redactLogLine('session=123456;', '123456')).toBe('session=[redacted];');
  });

  it('leaves a short secret alone inside a longer word or number, which is another value', () => {
    const line = 'user=alice taskType=textInference taskUUID=0c0d3-42a within 1234567 ms';
    expect(redactLogLine(line, 'ference')).toBe(line);
    expect(redactLogLine(line, 'c0d3-42')).toBe(line);
    expect(redactLogLine(line, '123456')).toBe(line);
  });

  it('leaves a line alone for a secret of fewer than four characters, which is no secret and is often one of its words', () => {
    for (const token of ['a', 'ab', 'in', '100']) {
      const line = `a frame of 100 tasks in ab (at most 100): ${token}`;
      expect(redactLogLine(line, token)).toBe(line);
    }
  });

  it('never leaves a secret of eight characters or more, wherever it is', () => {
    expect(redactLogLine('taskType=xInference1taskUUID', 'Inference1')).toBe('taskType=x[redacted]taskUUID');
  });
});
