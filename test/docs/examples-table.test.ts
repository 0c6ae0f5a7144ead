import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { examples } from '../../examples/catalog.js';

/*
 * The README's Examples section is the catalog's (examples/catalog.ts, which `npm run example`
 * runs), row for row; every example has a test that names it; every excerpt shown is in its
 * file, word for word. So the README never shows an example that does not exist or does not run.
 */

const root = new URL('../../', import.meta.url).pathname;
const readme = await readFile(join(root, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Examples'), readme.indexOf('## Requests as streams'));
// Files are named, not linked: the README ships in the npm package, the examples do not.
const rows = [...section.matchAll(/^\| (.+) \| `(examples\/[^`]+)` \| `([^`]+)` \|$/gm)].map(([, pattern, file, command]) => ({ pattern, file, command }));

describe('the README’s Examples section', () => {
  it('lists every example of the catalog, with its file and its command, and nothing else', () => {
    expect(rows).toEqual(
      examples.map((example) => ({
        pattern: example.pattern,
        file: example.file,
        command: `npm run example -- ${example.name}${example.args === undefined ? '' : ` ${example.args}`}`,
      })),
    );
  });

  it('names files that exist, each run by a test that exists and names it', async () => {
    for (const example of examples) {
      expect(existsSync(join(root, example.file)), example.file).toBe(true);
      const test = await readFile(join(root, example.test), 'utf8');
      expect(test, example.test).toContain(example.file);
    }
  });

  it('leaves no example out of the catalog', async () => {
    const listed = new Set(examples.map((example) => example.file));
    const tooling = new Set(['examples/catalog.ts', 'examples/run.ts']);
    const entries = await readdir(join(root, 'examples'), { withFileTypes: true });
    for (const entry of entries) {
      if (entry.isFile() && entry.name.endsWith('.ts') && !tooling.has(`examples/${entry.name}`)) expect(listed, entry.name).toContain(`examples/${entry.name}`);
      if (entry.isDirectory() && existsSync(join(root, 'examples', entry.name, 'main.ts'))) expect(listed, entry.name).toContain(`examples/${entry.name}/main.ts`);
    }
  });

  it('shows excerpts that are in their files word for word (indentation aside)', async () => {
    const blocks = [...section.matchAll(/```ts\n\/\/ from (\S+)\n([\s\S]*?)```/g)];
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    for (const [, file, body] of blocks) {
      const source = (await readFile(join(root, file!), 'utf8')).split('\n').map((line) => line.trim());
      // `// …` separates parts of one excerpt; each part is a run of lines of the file, in order.
      const parts = body!.trimEnd().split('\n// …\n').map((part) => part.split('\n').map((line) => line.trim()));
      let from = 0;
      for (const part of parts) {
        const at = source.findIndex((_, index) => index >= from && part.every((line, offset) => source[index + offset] === line));
        expect(at, `${file}: ${part[0]}`).toBeGreaterThanOrEqual(0);
        from = at + part.length;
      }
    }
  });
});
