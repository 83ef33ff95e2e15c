// Shared jest project settings. Every package's jest.config.js calls
// createProject(__dirname); the root jest.config.js collects all of them.
const path = require('node:path');

// ESM-only dependencies that swc must turn into CommonJS for jest's loader.
const esmPackages = [
  '@octokit',
  'universal-user-agent',
  'before-after-hook',
  'fast-content-type-parse',
  'json-with-bigint',
  'content-type',
];

function createProject(dir) {
  return {
    displayName: path.basename(dir),
    rootDir: dir,
    testEnvironment: 'node',
    testTimeout: 60000,
    testEnvironmentOptions: {
      // Resolve workspace packages to their TypeScript sources, so tests
      // never run against a stale dist/.
      customExportConditions: ['source', 'node', 'require', 'default'],
    },
    testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
    transform: {
      '^.+\\.(t|j|mj)s$': [
        '@swc/jest',
        {
          jsc: {
            parser: { syntax: 'typescript' },
            target: 'es2022',
          },
          module: { type: 'commonjs' },
        },
      ],
    },
    transformIgnorePatterns: [
      `/node_modules/(?!(\\.pnpm/)?(${esmPackages.join('|')})[+/@])`,
    ],
    moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
    // TypeScript sources import siblings as './x.js'; jest must find x.ts.
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  };
}

module.exports = { createProject };
