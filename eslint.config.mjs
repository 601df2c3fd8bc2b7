// Lint for the exporter, the contract package, tests, evaluation, benchmarks,
// scripts, alert rules and dashboards (the Grafana app has its own config in
// grafana-plugin/). Formatting is Prettier's (eslint-config-prettier turns off
// the rules that would fight it).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', 'grafana-plugin/', 'test/artifacts/', 'bench/out/', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // A catch must do something with what it caught: count it, log it, or rethrow.
      'no-empty': ['error', { allowEmptyCatch: false }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Tests, benchmarks, evaluation and scripts print their tables and results.
    files: ['test/**', 'bench/**', 'eval/**', 'scripts/**', 'alert-rules/**', 'dashboards/**'],
    rules: { 'no-console': 'off' },
  },
);
