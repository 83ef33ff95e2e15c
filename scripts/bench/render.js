#!/usr/bin/env node
// Renders the section of a recorded bench invocation again from the file
// that `pnpm bench --json FILE` wrote, after a change to the report layout.
// Usage: node scripts/bench/render.js FILE [--output BENCHMARKS.md]
const fs = require('node:fs');
const path = require('node:path');

const { updateSection } = require('./benchmarks-file');
const { renderSection } = require('./report');
const { ROOT } = require('./workspace');

function main(argv) {
  const outputIndex = argv.indexOf('--output');
  const output =
    outputIndex === -1
      ? path.join(ROOT, 'BENCHMARKS.md')
      : path.resolve(argv[outputIndex + 1]);
  const files =
    outputIndex === -1
      ? argv
      : argv.filter(
          (_, index) => index !== outputIndex && index !== outputIndex + 1,
        );
  if (files.length !== 1) {
    process.stderr.write(
      'usage: node scripts/bench/render.js FILE [--output BENCHMARKS.md]\n',
    );
    return 2;
  }
  const record = JSON.parse(fs.readFileSync(files[0], 'utf8'));
  if (record.argv === undefined || record.results === undefined) {
    process.stderr.write(
      `${files[0]} is not a bench record: write one with \`pnpm bench --json FILE\`\n`,
    );
    return 1;
  }
  updateSection(output, record.options.label, renderSection(record));
  process.stderr.write(`wrote "${record.options.label}" to ${output}\n`);

  return 0;
}

process.exitCode = main(process.argv.slice(2));
