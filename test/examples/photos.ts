import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { expect } from 'vitest';

/* Photos for the folder examples, and the check of their cut-outs (the simulator's background rule). */

/**
 * A 96×64 JPEG the simulator's background rule cuts exactly: a plain light background, a dark
 * 32×24 subject whose colour is the photo's own (up to 28 photos), so no two photos are alike.
 */
export async function photo(index: number): Promise<Buffer> {
  if (index < 0 || index >= 28) throw new RangeError('photo index must be from 0 to 27');
  const subject = await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 40 + index * 5, g: 60, b: 120 } } }).png().toBuffer();
  return sharp({ create: { width: 96, height: 64, channels: 3, background: '#ece8e0' } })
    .composite([{ input: subject, left: 32, top: 20 }])
    .jpeg({ quality: 95 })
    .toBuffer();
}

/** Writes `count` photos named photo-01.jpg, photo-02.jpg, ... into `folder`; resolves with their names. */
export async function writePhotos(folder: string, count: number): Promise<string[]> {
  const names = Array.from({ length: count }, (_, index) => `photo-${String(index + 1).padStart(2, '0')}.jpg`);
  for (const [index, name] of names.entries()) await writeFile(join(folder, name), await photo(index));
  return names;
}

/** Decodes a cut-out of {@link photo}: the photo's size, transparent background, opaque subject. */
export async function expectCutOut(path: string): Promise<void> {
  const { data, info } = await sharp(await readFile(path)).raw().toBuffer({ resolveWithObject: true });
  expect(info, path).toMatchObject({ width: 96, height: 64, channels: 4 });
  const alphaAt = (x: number, y: number) => data[(y * info.width + x) * 4 + 3];
  expect([alphaAt(2, 2), alphaAt(93, 61), alphaAt(10, 40), alphaAt(48, 32), alphaAt(36, 24)], path).toEqual([0, 0, 0, 255, 255]);
}
