const { createProject } = require('../../tooling/jest/preset');

module.exports = {
  ...createProject(__dirname),
  // The tests sit in this folder itself, not in src/ or test/ below it.
  testMatch: ['<rootDir>/*.test.ts'],
  // The root package does not depend on @issue-sync/config, so map it to
  // the package's TypeScript sources, as its `source` export condition would.
  moduleNameMapper: {
    '^@issue-sync/config$': '<rootDir>/../../packages/config/src/index.ts',
  },
};
