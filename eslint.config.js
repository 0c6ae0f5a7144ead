/*
 * Lint: typescript-eslint on every TypeScript file, with type information for the package's own
 * sources. The layer rules are dependency-cruiser's (.dependency-cruiser.cjs); both run in
 * `npm run lint`, part of `npm test`.
 */
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/.build/**', 'bench/.profiles/**', 'e2e/.build/**', 'coverage/**', 'test-results/**', 'api-docs/**', 'test/package/consumers/**'] },
  {
    files: ['**/*.ts', '**/*.mts', '**/*.cts'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { project: ['./tsconfig.json', './tsconfig.node.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Factories here return objects of closures, which use no `this`; method syntax in their
      // interfaces makes this rule flag every one of them passed on.
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Stream code keeps time with RxJS's schedulers, so that it runs in virtual time in tests.
    files: ['src/**/*.ts'],
    ignores: ['src/simulator/**', 'src/transport/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use an RxJS timer or asyncScheduler: stream code must run in virtual time.' },
        { name: 'setInterval', message: 'Use an RxJS interval or asyncScheduler: stream code must run in virtual time.' },
      ],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'Use asyncScheduler.now(): stream code must run in virtual time.' }],
    },
  },
);
