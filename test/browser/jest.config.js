/**
 * The browser test (headless Chromium over the built plugin) and the unit
 * tests of its Grafana stand-in: their own Jest config so `npm test` runs them
 * as a separate step after the plugin build.
 */
const base = require('../../jest.config.js');
// The plugin scaffold's list of ES-module-only packages that Grafana's packages pull in.
const { grafanaESModules, nodeModulesToTransform } = require('../../grafana-plugin/.config/jest/utils');

const swc = Object.values(base.transform)[0];

module.exports = {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/test/browser'],
  testPathIgnorePatterns: ['/node_modules/'],
  // @grafana/data's CommonJS build requires packages that ship ES modules only (marked, d3-*).
  transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.mjs$': swc },
  transformIgnorePatterns: [nodeModulesToTransform([...grafanaESModules, 'marked'])],
  maxWorkers: 1,
  testTimeout: 120000,
};
