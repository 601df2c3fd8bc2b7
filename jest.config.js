/**
 * One Jest config for the exporter's tests in test/ (the plugin keeps the
 * scaffold's own Jest config; scripts/test-all.mjs runs both).
 * SWC transpiles TypeScript; `npm run typecheck` does the type checking.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  moduleNameMapper: { '^@procsight/contract$': '<rootDir>/packages/contract/src/index.ts' },
  testPathIgnorePatterns: ['/node_modules/', '/test/artifacts/', '/test/browser/'],
  // Integration tests start real processes and servers: keep workers low on 2 cores.
  maxWorkers: 2,
  testTimeout: 30000,
};
