import { readFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { lexer, type Token } from 'marked';
import { beforeAll, describe, expect, it } from 'vitest';
import { packedFileList, repoRoot } from './support/consumer-project.js';

/*
 * A reader of the package (on a registry page, in node_modules, in an editor) has only what
 * `npm pack` put in the tarball. So every relative link of every shipped Markdown file must
 * land on a shipped file, and on a heading that exists when it names one.
 */

let shipped: Set<string>;
let documents: string[];

beforeAll(async () => {
  shipped = new Set(await packedFileList());
  documents = [...shipped].filter((path) => path.endsWith('.md')).sort();
});

/** Every link and image target of a Markdown document, code blocks and code spans excluded. */
function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  const visit = (tokens: readonly Token[]): void => {
    for (const token of tokens) {
      if (token.type === 'link' || token.type === 'image') targets.push((token as { href: string }).href);
      const nested = token as { tokens?: Token[]; items?: Token[]; header?: { tokens: Token[] }[]; rows?: { tokens: Token[] }[][] };
      if (nested.tokens) visit(nested.tokens);
      if (nested.items) visit(nested.items);
      for (const cell of nested.header ?? []) visit(cell.tokens);
      for (const row of nested.rows ?? []) for (const cell of row) visit(cell.tokens);
    }
  };
  visit(lexer(markdown));
  return targets;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

function anchorsOf(markdown: string): Set<string> {
  return new Set(
    lexer(markdown)
      .filter((token) => token.type === 'heading')
      .map((token) => anchorOf((token as { text: string }).text)),
  );
}

const isRelative = (target: string): boolean => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('//');

describe('links in the shipped documents', () => {
  it('the tarball carries the README, the changelog and the docs it links to', () => {
    expect(documents).toEqual(expect.arrayContaining(['README.md', 'CHANGELOG.md', 'docs/migrating-from-sdk-js.md']));
  });

  it('every relative link resolves to a file in the tarball, and to a heading of it', async () => {
    const broken: string[] = [];
    let checked = 0;
    for (const document of documents) {
      const markdown = await readFile(join(repoRoot, document), 'utf8');
      for (const target of linkTargets(markdown).filter(isRelative)) {
        checked++;
        const [path = '', anchor] = target.split('#');
        const file = path === '' ? document : posix.normalize(posix.join(dirname(document), decodeURIComponent(path)));
        if (!shipped.has(file)) {
          broken.push(`${document}: ${target} (${file} is not in the tarball)`);
        } else if (anchor !== undefined && file.endsWith('.md')) {
          const anchors = anchorsOf(await readFile(join(repoRoot, file), 'utf8'));
          if (!anchors.has(anchor)) broken.push(`${document}: ${target} (${file} has no heading "#${anchor}")`);
        }
      }
    }
    expect(broken).toEqual([]);
    // The README alone has several; a parser that found none would pass vacuously.
    expect(checked).toBeGreaterThan(10);
  });
});
