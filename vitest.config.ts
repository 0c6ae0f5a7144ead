import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const local = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests and examples import the package by its public name, as users do.
    alias: [
      { find: /^runware-rx$/, replacement: local('./src/index.ts') },
      { find: /^runware-rx\/operators$/, replacement: local('./src/operators/index.ts') },
      { find: /^runware-rx\/tasks$/, replacement: local('./src/tasks/index.ts') },
      { find: /^runware-rx\/node$/, replacement: local('./src/node/index.ts') },
      { find: /^runware-rx\/simulator$/, replacement: local('./src/simulator/index.ts') },
      { find: /^runware-rx\/relay$/, replacement: local('./src/relay/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Type tests (*.test-d.ts) pin the public types, the derived client first of all.
    typecheck: { enabled: true, include: ['test/types/**/*.test-d.ts'], tsconfig: './tsconfig.node.json' },
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
