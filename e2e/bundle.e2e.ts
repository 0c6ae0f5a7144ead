/*
 * The page's bundle is what a browser app would ship: built from dist/, with isomorphic-ws's
 * browser file and without any of `ws`, so the SDK can only be using the native WebSocket.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { BUNDLE_FILE, MODULES_FILE, ROOT } from './paths.js';

const root = fileURLToPath(ROOT);

test('the browser bundle is made from dist/ and contains no ws code', async () => {
  const modules = (JSON.parse(await readFile(MODULES_FILE, 'utf8')) as string[]).map((id) =>
    id.startsWith(root) ? id.slice(root.length) : id,
  );
  expect(modules).toContain('dist/index.js');
  // By its ending: a checkout whose node_modules is a link elsewhere names it by the link's target.
  expect(modules.filter((id) => id.endsWith('node_modules/isomorphic-ws/browser.js'))).toHaveLength(1);
  expect(modules.filter((id) => id.startsWith('src/'))).toEqual([]);
  expect(modules.filter((id) => /node_modules\/ws\//.test(id))).toEqual([]);

  const code = await readFile(BUNDLE_FILE, 'utf8');
  // Distinctive strings of the ws package (its extension negotiation and its Node imports).
  expect(code).not.toContain('permessage-deflate');
  expect(code).not.toContain('Sec-WebSocket-Key');
  expect(code).not.toMatch(/from ['"](node:)?(http|https|net|tls|zlib|crypto)['"]/);
});
