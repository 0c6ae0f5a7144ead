import { describe, expect, it } from 'vitest';
import { compactValue, echo } from '../../src/simulator/compact.js';
import { randomUUID } from 'node:crypto';
import { createLru } from '../../src/simulator/media/lru.js';
import { createMediaLibrary } from '../../src/simulator/media/media-library.js';
import { createMediaStore } from '../../src/simulator/media/media-store.js';
import { createPlaceholderIds } from '../../src/simulator/media/placeholder-ids.js';
import { encodedVideoSize } from '../../src/simulator/media/render-video.js';
import { sceneFor, sceneSvg } from '../../src/simulator/media/scene.js';
import { resolveOptions } from '../../src/simulator/options.js';
import { createTaskLog } from '../../src/simulator/task-log.js';
import { createTaskStore } from '../../src/simulator/task-store.js';
import { describeTask, progressOf } from '../../src/simulator/tasks/get-response.js';

describe('simulator units', () => {
  it('LRU evicts the least recently used entries beyond its cost bound', () => {
    const lru = createLru<string, string>({ maxCost: 6, costOf: (value) => value.length });
    lru.set('a', 'aa');
    lru.set('b', 'bb');
    lru.get('a');
    lru.set('c', 'cccc');
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual(['aa', undefined, 'cccc']);
    lru.set('huge', 'x'.repeat(10));
    expect(lru.size).toBe(1);
  });

  it('task store forgets records after their retention and beyond its cap', () => {
    let now = 0;
    const store = createTaskStore({ retentionMs: 100, maxRecords: 2, now: () => now });
    const record = (taskUUID: string) => ({ taskType: 'imageInference', taskUUID, createdAt: now, generations: [], request: {}, cost: 0 });
    store.add(record('a'));
    store.add(record('b'));
    store.add(record('c'));
    expect([store.has('a'), store.has('b'), store.has('c')]).toEqual([false, true, true]);
    now = 101;
    expect(store.get('b')).toBeUndefined();
  });

  it('progress is linear in elapsed time and stays below 100 until success', () => {
    const generation = { seed: 1, startedAt: 1000, readyAt: 2000 };
    expect([0, 250, 999, 5000].map((dt) => progressOf(generation, 1000 + dt))).toEqual([0, 25, 99, 99]);
    const record = { taskType: 'videoInference', taskUUID: 't', createdAt: 1000, generations: [{ ...generation, result: { taskType: 'videoInference', taskUUID: 't', videoUUID: 'v' } }], request: {}, cost: 0 };
    expect(describeTask(record, 1500, true).data).toEqual([{ taskType: 'videoInference', taskUUID: 't', status: 'processing', progress: 50 }]);
    expect(describeTask(record, 2000, true).data).toEqual([{ taskType: 'videoInference', taskUUID: 't', videoUUID: 'v', status: 'success' }]);
  });

  it('scenes are deterministic per prompt and seed, and sized exactly', () => {
    expect(sceneFor('a cat', 1)).toEqual(sceneFor('a cat', 1));
    expect(sceneFor('a cat', 1)).not.toEqual(sceneFor('a cat', 2));
    expect(sceneSvg(sceneFor('a cat', 1), 640, 384)).toContain('width="640" height="384"');
  });

  it('video size keeps the aspect ratio within 480 px with even sides', () => {
    expect(encodedVideoSize(1280, 720)).toEqual({ width: 480, height: 270 });
    expect(encodedVideoSize(1080, 1920)).toEqual({ width: 270, height: 480 });
    expect(encodedVideoSize(256, 256)).toEqual({ width: 256, height: 256 });
    expect(encodedVideoSize(1000, 1000 / 3)).toEqual({ width: 480, height: 160 });
  });

  it('option resolution applies defaults and names bad values', () => {
    expect(resolveOptions()).toMatchObject({ host: '127.0.0.1', port: 0, media: true, videoReadyAfterMs: 3000, sessionBufferMs: 120_000 });
    expect(() => resolveOptions({ port: 70_000 })).toThrow(/port/);
    expect(() => resolveOptions({ imageLatencyMs: -1 })).toThrow(/imageLatencyMs/);
  });

  it('compact copies keep small values as they are and cut long strings, arrays, objects and nesting', () => {
    const limits = { string: 4, items: 2, keys: 2, depth: 2, bytes: 1000 };
    expect(compactValue({ a: 'abc', b: [1, 2] }, limits).value).toEqual({ a: 'abc', b: [1, 2] });
    expect(compactValue({ a: 'abcdefgh', b: [1, 2, 3], c: 1 }, limits).value).toEqual({ a: 'abcd…[8 chars]', b: [1, 2, '…[1 more items]'], '…': '[1 more fields]' });
    expect(compactValue([[['deep']]], limits).value).toEqual([['[…nested]']]);
    expect(compactValue(Array.from({ length: 2 }, () => 'x'.repeat(100)), { ...limits, string: 100, bytes: 50 }).value).toEqual(['x'.repeat(100), '[…]']);
    const hostile = JSON.parse('{"__proto__": {"polluted": true}}') as object;
    const copy = compactValue(hostile, { ...limits, string: 16 }).value as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__']);
    expect(echo('y'.repeat(1000))).toBe(`"${'y'.repeat(80)}…[1000 chars]"`);
    expect([echo(500), echo(undefined), echo('GIF'), echo(null)]).toEqual(['500', 'undefined', '"GIF"', 'null']);
  });

  it('task log keeps small tasks by reference, drops the oldest past its byte budget, and redacts keys', () => {
    const log = createTaskLog({ maxTasks: 100, maxBytes: 1000, wholeTaskBytes: 300, compact: { string: 16, items: 4, keys: 8, depth: 4, bytes: 200 } });
    const small = { taskType: 'ping', ping: true };
    log.record(small, 20);
    expect(log.entries()[0]).toBe(small);
    log.record({ taskType: 'imageInference', positivePrompt: 'z'.repeat(5000) }, 5100);
    expect(log.entries()[1]).toEqual({ taskType: 'imageInference', positivePrompt: `${'z'.repeat(16)}…[5000 chars]` });
    log.record({ taskType: 'authentication', apiKey: 'secret' }, 50);
    expect(log.entries()[2]).toEqual({ taskType: 'authentication', apiKey: '[redacted]' });
    for (let i = 0; i < 10; i++) log.record({ taskType: 'ping', i }, 250);
    // 1000 bytes hold four tasks of 250: the oldest went first.
    expect(log.entries().map((task) => task['i'])).toEqual([6, 7, 8, 9]);
    const counted = createTaskLog({ maxTasks: 3, maxBytes: 1e9, wholeTaskBytes: 300, compact: { string: 8, items: 4, keys: 8, depth: 4, bytes: 200 } });
    for (let i = 0; i < 3000; i++) counted.record({ i }, 1);
    expect(counted.entries()).toEqual([{ i: 2997 }, { i: 2998 }, { i: 2999 }]);
  });

  it('placeholder UUIDs are UUID v4s recognised without being stored; made-up ones are not', () => {
    // Six: the three images and the three video containers.
    const ids = createPlaceholderIds(6);
    for (let index = 0; index < 6; index++) {
      const uuid = ids.mint(index);
      expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(ids.recognise(uuid)).toBe(index);
    }
    const strangers = Array.from({ length: 20_000 }, () => randomUUID());
    expect(strangers.filter((uuid) => ids.recognise(uuid) !== undefined)).toEqual([]);
    const other = createPlaceholderIds(6);
    expect(Array.from({ length: 2000 }, () => other.mint(1)).filter((uuid) => ids.recognise(uuid) !== undefined)).toEqual([]);
  });

  it('media library: keeps, aliases, forgets (minted ones too), and remembers at most its bound', () => {
    const store = createMediaStore(1_000_000);
    store.pin('placeholder.png', { bytes: new Uint8Array([1]), mime: 'image/png' });
    const library = createMediaLibrary({ baseUrl: 'http://127.0.0.1:9', store, maxEntries: 4, placeholders: ['placeholder.png'] });
    const minted = library.placeholderUUID('placeholder.png');
    expect(library.find(minted.toUpperCase())?.mime).toBe('image/png');
    const kept = Array.from({ length: 6 }, () => randomUUID());
    for (const uuid of kept) library.keep(uuid, { bytes: new Uint8Array([2]), mime: 'image/png' }, 'png');
    // Two generations of two: the last four are known, the first two forgotten.
    expect(kept.map((uuid) => library.find(uuid) !== undefined)).toEqual([false, false, true, true, true, true]);
    expect(library.ownFile(new URL(`http://localhost:9/media/${kept[5]}.png`))).toMatchObject({ uuid: kept[5] });
    expect(library.ownFile(new URL('http://127.0.0.1:10/media/x.png'))).toBeUndefined();
    expect(library.forget(minted)).toBe(true);
    expect(library.find(minted)).toBeUndefined();
    expect(store.get('placeholder.png')).toBeDefined();
    expect(library.forget(kept[5]!)).toBe(true);
    expect(store.get(`${kept[5]}.png`)).toBeUndefined();
  });
});
