/**
 * Bundles a bench entry into plain JavaScript under bench/.build/, with every package left
 * external. Two reasons: `runware-rx` then resolves through the package's own exports to the
 * freshly built dist/ (what users install), and no client is run through tsx, whose esbuild
 * `keepNames` wraps every named closure in `__name()` and gives it a property array: 256 bytes
 * per closure that the shipped code does not pay, which distorted heap figures by ~5 KB/task.
 */
import { build } from 'esbuild';
import { basename, join } from 'node:path';

export const BUILD_DIR = join('bench', '.build');

/**
 * Bundles `entry` (a .ts file) to bench/.build/<name>.mjs and returns that path.
 *
 * @param entry The TypeScript entry.
 * @returns The bundle's path.
 */
export async function bundleEntry(entry: string): Promise<string> {
  const outfile = join(BUILD_DIR, `${basename(entry, '.ts')}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  return outfile;
}
