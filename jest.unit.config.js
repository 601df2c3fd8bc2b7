/**
 * The fast loop (`npm run test:unit`): only test/unit, whose files mirror
 * exporter/src and packages/contract/src one to one (test/docs/layout.test.ts
 * checks that). Everything else (test/long, integration, end-to-end,
 * docs) runs with `npm test`, whose Jest step (jest.config.js) runs test/unit too.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/unit'],
  testPathIgnorePatterns: ['/node_modules/'],
};
