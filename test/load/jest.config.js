const { createProject } = require('../../tooling/jest/preset');

const project = createProject(__dirname);

module.exports = {
  ...project,
  // The tests sit in this folder itself, not in src/ or test/ below it.
  testMatch: ['<rootDir>/*.test.ts'],
  // The root package depends on no workspace package, so map the two this
  // suite imports to their sources, as their `source` export condition
  // would, and take ioredis from the package that already depends on it.
  moduleNameMapper: {
    ...project.moduleNameMapper,
    '^@issue-sync/test-support$':
      '<rootDir>/../../packages/test-support/src/index.ts',
    '^ioredis$': '<rootDir>/../../packages/test-support/node_modules/ioredis',
  },
};
