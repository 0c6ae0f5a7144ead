import { afterEach, describe, expect, it, vi } from 'vitest';
import { isUUIDv4, newTaskUUID } from '../../src/protocol/task-uuid.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Hides `crypto.randomUUID`, as in a page served over plain http, until restored. */
function withoutRandomUUID(): void {
  Object.defineProperty(globalThis.crypto, 'randomUUID', { value: undefined, configurable: true, writable: true });
}

afterEach(() => {
  vi.restoreAllMocks();
  // Removing the own property uncovers Crypto.prototype.randomUUID again.
  delete (globalThis.crypto as { randomUUID?: unknown }).randomUUID;
  expect(typeof globalThis.crypto.randomUUID).toBe('function');
});

describe('newTaskUUID', () => {
  it('returns a lower-case UUID v4', () => {
    for (let index = 0; index < 100; index += 1) expect(newTaskUUID()).toMatch(V4);
  });

  it('returns a different UUID each time', () => {
    const uuids = new Set(Array.from({ length: 10_000 }, newTaskUUID));
    expect(uuids.size).toBe(10_000);
  });

  it('uses crypto.randomUUID when it exists', () => {
    const randomUUID = vi.spyOn(globalThis.crypto, 'randomUUID').mockReturnValue('3b241101-e2bb-4255-8caf-4136c566a962');
    expect(newTaskUUID()).toBe('3b241101-e2bb-4255-8caf-4136c566a962');
    expect(randomUUID).toHaveBeenCalledTimes(1);
  });

  describe('without crypto.randomUUID (insecure contexts)', () => {
    it('builds a UUID v4 from getRandomValues', () => {
      withoutRandomUUID();
      const getRandomValues = vi.spyOn(globalThis.crypto, 'getRandomValues');
      const uuid = newTaskUUID();
      expect(uuid).toMatch(V4);
      expect(getRandomValues).toHaveBeenCalledTimes(1);
    });

    it('sets the version and variant bits whatever the random bytes are', () => {
      withoutRandomUUID();
      const fill = (byte: number) => <T extends ArrayBufferView | null>(array: T): T => {
        if (array instanceof Uint8Array) array.fill(byte);
        return array;
      };
      vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementationOnce(fill(0xff)).mockImplementationOnce(fill(0x00));
      expect(newTaskUUID()).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
      expect(newTaskUUID()).toBe('00000000-0000-4000-8000-000000000000');
    });

    it('still returns a different UUID each time', () => {
      withoutRandomUUID();
      const uuids = Array.from({ length: 5000 }, newTaskUUID);
      expect(new Set(uuids).size).toBe(5000);
      expect(uuids.every((uuid) => V4.test(uuid))).toBe(true);
    });
  });
});

describe('isUUIDv4', () => {
  it('accepts UUID v4 in either case', () => {
    expect(isUUIDv4('24cd5dff-cb81-4db5-8506-b72a9425f9d1')).toBe(true);
    expect(isUUIDv4('24CD5DFF-CB81-4DB5-8506-B72A9425F9D1')).toBe(true);
  });

  it('rejects other versions, other variants and malformed strings', () => {
    for (const value of [
      'c232ab00-9414-11ec-b3c8-9f6bdeced846', // v1
      '24cd5dff-cb81-5db5-8506-b72a9425f9d1', // v5
      '24cd5dff-cb81-4db5-c506-b72a9425f9d1', // variant c
      '24cd5dffcb814db58506b72a9425f9d1',
      '24cd5dff-cb81-4db5-8506-b72a9425f9d1 ',
      '{24cd5dff-cb81-4db5-8506-b72a9425f9d1}',
      'not-a-uuid',
      '',
    ]) {
      expect(isUUIDv4(value), value).toBe(false);
    }
  });
});
