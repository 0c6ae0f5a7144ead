import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { taskUUID, type Item, type RawClient } from './support/raw-client.js';

const search = async (client: RawClient, fields: Record<string, unknown>) => {
  const task = { taskType: 'modelSearch', taskUUID: taskUUID(), ...fields };
  client.send([task]);
  const { data, errors } = await client.results(String(task.taskUUID));
  return { task, item: data[0], errors, results: (data[0]?.['results'] ?? []) as Item[] };
};

describe('simulator: modelSearch', () => {
  const harness = useSimulator();

  it('finds a model the docs use by name, first, and every result carries tags (a list) and private (a boolean)', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { task, item, results } = await search(client, { search: 'FLUX.1 [dev]' });
    expect(item).toMatchObject({ taskType: 'modelSearch', taskUUID: task.taskUUID, totalResults: expect.any(Number) });
    expect(results[0]).toMatchObject({ air: 'runware:101@1', name: 'FLUX.1 [dev]', category: 'checkpoint', architecture: 'flux1d' });
    const all = await search(client, { limit: 100 });
    expect(all.item!['totalResults']).toBeGreaterThanOrEqual(400);
    for (const result of all.results) {
      expect(Array.isArray(result['tags']) && typeof result['private'] === 'boolean').toBe(true);
      expect(result).toMatchObject({ air: expect.stringMatching(/^[a-z]+:[^@]+@.+$/), name: expect.any(String), version: expect.any(String), heroImage: expect.any(String) });
    }
  });

  it('pages with offset and limit over a stable order: the pages add up to the whole, without overlap', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { item } = await search(client, { category: 'lora' });
    const total = Number(item!['totalResults']);
    expect(total).toBeGreaterThan(50);
    const seen: string[] = [];
    for (let offset = 0; offset < total; offset += 40) seen.push(...(await search(client, { category: 'lora', offset, limit: 40 })).results.map((result) => String(result['air'])));
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect((await search(client, { category: 'lora', offset: total })).results).toEqual([]);
  });

  it('filters by category, type, architecture, conditioning, source, tags (any of) and capabilities (all of); AIR wildcards; sorts', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const every = async (fields: Record<string, unknown>, check: (result: Item) => boolean) => {
      const { results } = await search(client, { limit: 100, ...fields });
      expect(results.length).toBeGreaterThan(0);
      expect(results.filter((result) => !check(result))).toEqual([]);
    };
    await every({ category: 'checkpoint', type: 'inpainting' }, (r) => r['category'] === 'checkpoint' && r['type'] === 'inpainting');
    await every({ architecture: 'sdxl' }, (r) => r['architecture'] === 'sdxl');
    await every({ category: 'controlnet', conditioning: 'canny' }, (r) => r['conditioning'] === 'canny');
    await every({ source: 'featured' }, (r) => r['source'] === 'featured');
    await every({ tags: ['anime', 'portrait'] }, (r) => (r['tags'] as string[]).some((tag) => tag === 'anime' || tag === 'portrait'));
    await every({ capabilities: ['text-to-image', 'inpainting'] }, (r) => (r['capabilities'] as string[]).includes('inpainting'));
    await every({ search: 'civitai:139562@*' }, (r) => String(r['air']).startsWith('civitai:139562@'));
    const byName = (await search(client, { sort: 'name', limit: 30 })).results.map((r) => String(r['name']));
    expect(byName).toEqual([...byName].sort((a, b) => a.localeCompare(b)));
    const newest = (await search(client, { sort: '-addedUnixTimestamp', limit: 30 })).results.map((r) => Number(r['addedUnixTimestamp']));
    expect(newest).toEqual([...newest].sort((a, b) => b - a));
  });

  it('finds nothing for an unknown word, and only the account’s own models for visibility private (none yet)', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    expect(await search(client, { search: 'zzzz-no-such-model' })).toMatchObject({ item: { totalResults: 0, results: [] } });
    expect((await search(client, { visibility: 'private' })).item!['totalResults']).toBe(0);
  });

  it.each([
    [{ limit: 0 }, 'invalidLimit', 'limit'],
    [{ limit: 101 }, 'invalidLimit', 'limit'],
    [{ offset: -1 }, 'invalidOffset', 'offset'],
    [{ category: 'upscaler' }, 'invalidCategory', 'category'],
    [{ visibility: 'everyone' }, 'invalidVisibility', 'visibility'],
    [{ sort: 'downloads' }, 'invalidSort', 'sort'],
    [{ tags: 'anime' }, 'invalidTags', 'tags'],
    [{ search: 42 }, 'invalidSearch', 'search'],
  ])('rejects %j with %s naming %s', async (fields, code, parameter) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { errors } = await search(client, fields);
    expect(errors).toEqual([expect.objectContaining({ code, parameter, taskType: 'modelSearch' })]);
  });
});
