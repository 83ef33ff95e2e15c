// The built workspace packages and their third-party dependencies, loaded
// from dist/ by path: the repository root declares no dependency on them, so
// Node's own resolution cannot find them from scripts/.
const { createRequire } = require('node:module');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

function loadBuilt(directory) {
  const main = path.join(ROOT, directory, 'dist', 'index.js');
  if (!fs.existsSync(main)) {
    throw new Error(
      `${path.relative(ROOT, main)} is missing: run \`pnpm build\` before \`pnpm bench\``,
    );
  }

  return require(main);
}

/** Requires a dependency the way the named workspace package resolves it. */
function requireFrom(directory, name) {
  return createRequire(path.join(ROOT, directory, 'package.json'))(name);
}

function appMain(app) {
  const main = path.join(ROOT, 'apps', app, 'dist', 'main.js');
  if (!fs.existsSync(main)) {
    throw new Error(
      `${path.relative(ROOT, main)} is missing: run \`pnpm build\` before \`pnpm bench\``,
    );
  }

  return main;
}

module.exports = {
  ROOT,
  appMain,
  loadBuilt,
  requireFrom,
};
