const fs = require('node:fs');
const path = require('node:path');

const roots = ['apps', 'packages', 'test'];
const projects = roots.flatMap((root) =>
  fs
    .readdirSync(path.join(__dirname, root))
    .map((name) => path.join(__dirname, root, name))
    .filter((dir) => fs.existsSync(path.join(dir, 'jest.config.js'))),
);

module.exports = {
  projects,
  testTimeout: 60000,
};
