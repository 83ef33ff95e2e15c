const { createProject } = require('../../tooling/jest/preset');

module.exports = {
  ...createProject(__dirname),
  // The tests sit in this folder itself, not in src/ or test/ below it.
  testMatch: ['<rootDir>/*.test.ts'],
};
