import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeJson } from '../../src/transport/codec.js';

/* A task's text: what JSON.stringify writes, a BigInt as its digits, a cycle refused as it refuses one. */

describe('encodeJson', () => {
  it('writes what JSON.stringify writes for any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => encodeJson(value) === JSON.stringify(value)), { numRuns: 500 });
  });

  it('writes a BigInt as its exact digits, at any depth, the rest as JSON.stringify would', () => {
    const task = { taskType: 'imageInference', seed: 9223372036854775807n, skip: undefined, run: () => 1, settings: { seed: -9007199254740993n }, list: [1n, undefined, 'a'] };
    expect(encodeJson(task)).toBe('{"taskType":"imageInference","seed":9223372036854775807,"settings":{"seed":-9007199254740993},"list":[1,null,"a"]}');
  });

  it('refuses a cycle with a TypeError, as JSON.stringify does, BigInt or not', () => {
    const loop: Record<string, unknown> = { seed: 1n };
    loop['self'] = loop;
    expect(() => encodeJson(loop)).toThrow(TypeError);
  });
});
