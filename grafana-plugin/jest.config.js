// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...base,
  // The contract package is TypeScript source in the workspace (packages/contract).
  moduleNameMapper: { ...base.moduleNameMapper, '^@procsight/contract$': '<rootDir>/../packages/contract/src/index.ts' },
  // In the npm workspace some ESM-only dependencies (d3-color) resolve to .mjs files: transform those too.
  transform: {
    ...base.transform,
    '^.+\\.mjs$': base.transform['^.+\\.(t|j)sx?$'],
  },
};
