import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectCutOut, writePhotos } from './photos.js';
import { runExample, temporaryFolder } from './run-example.js';

/*
 * examples/batch-folder as a child process (stdout and stderr are pipes, not terminals, as in
 * CI), on a folder of real JPEGs made here; its outputs are decoded.
 */

describe('examples/batch-folder', () => {
  it('cuts out every JPEG of a folder, 10 at a time, writes each beside its photo and reports the one that failed', async () => {
    const folder = await temporaryFolder('runware-batch-');
    const names = await writePhotos(folder, 25);
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
    for (const name of written) await expectCutOut(join(folder, name));
  });

  it('asks for the folder when given none, and says in one line why it cannot read one, with exit code 2 and nothing sent', async () => {
    const none = await runExample('examples/batch-folder/main.ts');
    expect([none.code, none.stdout, none.stderr.trim()]).toEqual([2, '', 'Which folder? Usage: npm run example -- batch-folder <folder>']);
    const missing = join(await temporaryFolder('runware-batch-missing-'), 'no-such-folder');
    const absent = await runExample('examples/batch-folder/main.ts', { args: [missing] });
    expect([absent.code, absent.stdout, absent.stderr.trim()]).toEqual([2, '', `Cannot read the folder ${missing}: there is no such folder. Usage: npm run example -- batch-folder <folder>`]);
  });

  it('says so, and succeeds, when the folder has no JPEG', async () => {
    const folder = await temporaryFolder('runware-batch-empty-');
    const { code, stdout } = await runExample('examples/batch-folder/main.ts', { args: [folder] });
    expect(code).toBe(0);
    expect(stdout).toContain(`0 photos in ${folder}`);
    expect(stdout.trim().split('\n').at(-1)).toBe('0 of 0 done, 0 failed (at most 0 at once)');
  });
});
