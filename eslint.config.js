// @ts-check
import tseslint from 'typescript-eslint';

/** Type-aware rules that catch what review misses: promises nobody awaits, bare ts-ignores. */
export default tseslint.config(
  { ignores: ['vitest.config.ts', '.bench-exp/**', '**/dist/**', '**/.output/**', '**/.wxt/**', '**/node_modules/**', '**/*.js'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.base],
    languageOptions: {
      // Test files belong to test/tsconfig.json, sources to their workspace's; the extension's
      // tsconfig holds its sources, its tests beside them and wxt.config.ts.
      parserOptions: {
        project: ['./shared/tsconfig.json', './desktop/tsconfig.json', './desktop/src/window/tsconfig.json', './test/tsconfig.json', './extension/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-expect-error': 'allow-with-description' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['log', 'warn', 'error'] }],
    },
  },
);
