import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { runExample, temporaryFolder } from './run-example.js';

/*
 * examples/batch-folder as a child process (stdout and stderr are pipes, not terminals, as in
 * CI), on a folder of real JPEGs made here; its outputs are decoded.
 */

const colours = ['#c03020', '#2050c0', '#208040', '#806020', '#602080'];

/** A photo the simulator's background rule cuts exactly: a plain background, a square subject. */
async function photo(index: number): Promise<Buffer> {
  const subject = await sharp({ create: { width: 32, height: 24, channels: 3, background: colours[index % colours.length]! } }).png().toBuffer();
  return sharp({ create: { width: 96, height: 64, channels: 3, background: '#ece8e0' } })
    .composite([{ input: subject, left: 32, top: 20 }])
    .jpeg({ quality: 95 })
    .toBuffer();
}

describe('examples/batch-folder', () => {
  it('cuts out every JPEG of a folder, 10 at a time, writes each beside its photo and reports the one that failed', async () => {
    const folder = await temporaryFolder('runware-batch-');
    const names = Array.from({ length: 25 }, (_, index) => `photo-${String(index + 1).padStart(2, '0')}.jpg`);
    for (const [index, name] of names.entries()) await writeFile(join(folder, name), await photo(index));
    await writeFile(join(folder, 'broken.jpg'), Buffer.from('these bytes are not a JPEG'));
    await writeFile(join(folder, 'notes.txt'), 'not a photo');

    const { code, stdout, stderr } = await runExample('examples/batch-folder/main.ts', { args: [folder] });
    expect(code).toBe(1);
    const lines = stdout.trim().split('\n');
    expect(lines[1]).toBe(`26 photos in ${folder}`);
    expect(lines.filter((line) => line.startsWith('ok '))).toEqual(names.map((name) => `ok ${name} → ${name.replace('.jpg', '.nobg.png')}`));
    expect(lines.filter((line) => line.startsWith('failed '))).toEqual([expect.stringMatching(/^failed broken\.jpg: validation: /)]);
    expect(lines.at(-1)).toBe('25 of 26 done, 1 failed (at most 10 at once)');

    // Not a terminal: the bar prints plain lines, with no cursor movement or colour escapes.
    expect(stderr).not.toContain('\u001b[');
    expect(stderr.trim().split('\n').at(-1)).toMatch(/^removing backgrounds \[█+\] 26\/26 /);

    const written = (await readdir(folder)).filter((name) => name.endsWith('.nobg.png')).sort();
    expect(written).toEqual(names.map((name) => name.replace('.jpg', '.nobg.png')));
    for (const name of written) {
      const { data, info } = await sharp(await readFile(join(folder, name))).raw().toBuffer({ resolveWithObject: true });
      expect(info, name).toMatchObject({ width: 96, height: 64, channels: 4 });
      const alphaAt = (x: number, y: number) => data[(y * info.width + x) * 4 + 3];
      expect([alphaAt(2, 2), alphaAt(93, 61), alphaAt(10, 40), alphaAt(48, 32), alphaAt(36, 24)], name).toEqual([0, 0, 0, 255, 255]);
    }
  });

  it('says so, and succeeds, when the folder has no JPEG', async () => {
    const folder = await temporaryFolder('runware-batch-empty-');
    const { code, stdout } = await runExample('examples/batch-folder/main.ts', { args: [folder] });
    expect(code).toBe(0);
    expect(stdout).toContain(`0 photos in ${folder}`);
    expect(stdout.trim().split('\n').at(-1)).toBe('0 of 0 done, 0 failed (at most 0 at once)');
  });
});
