#!/usr/bin/env node
// Summarises V8 .cpuprofile files (as written by `node --cpu-prof`): self
// time per package and the functions with the most self time.
// Usage: node scripts/bench/summarize-profile.js FILE_OR_DIR... [--top N]
const fs = require('node:fs');
const path = require('node:path');

const SPECIAL_FRAMES = new Set([
  '(garbage collector)',
  '(idle)',
  '(program)',
  '(root)',
]);

/** Names the package a script URL belongs to. */
function packageOf(url, functionName) {
  if (url === '') {
    return SPECIAL_FRAMES.has(functionName) ? functionName : '(native)';
  }
  if (url.startsWith('node:')) {
    return 'node internals';
  }
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const workspace = /\/(packages|apps)\/([^/]+)\//.exec(url);
  if (workspace !== null) {
    return workspace[1] === 'packages'
      ? `@issue-sync/${workspace[2]}`
      : `apps/${workspace[2]}`;
  }
  if (url.startsWith('wasm://')) {
    return '(wasm)';
  }

  return url;
}

function shortLocation(url, lineNumber) {
  const modules = url.lastIndexOf('/node_modules/');
  const file =
    modules === -1
      ? url.replace(/^file:\/\//, '').replace(/^.*\/(packages|apps)\//, '$1/')
      : url.slice(modules + '/node_modules/'.length);

  return file === '' ? '' : `${file}:${lineNumber + 1}`;
}

// Frames that do work on behalf of their caller: their time is charged to
// the nearest caller that belongs to a package, so writes to a socket count
// for the client library that wrote.
const DELEGATE_PACKAGES = new Set(['node internals', '(native)']);

/** Finds the package to charge a node's time to, walking up its callers. */
function chargedPackage(node, parents, nodesById) {
  let current = node;
  while (current !== undefined) {
    const { functionName, url } = current.callFrame;
    const pkg = packageOf(url, functionName);
    if (!DELEGATE_PACKAGES.has(pkg)) {
      return pkg;
    }
    current = nodesById.get(parents.get(current.id));
  }

  return '(no JavaScript caller: event loop, microtasks)';
}

/**
 * Adds one profile's self time, in milliseconds, to `byPackage` and
 * `byFunction`, and returns the profile's duration.
 */
function addProfile(profile, byPackage, byFunction) {
  const durationMs = (profile.endTime - profile.startTime) / 1000;
  const samples = profile.samples?.length ?? 0;
  const msPerSample = samples === 0 ? 0 : durationMs / samples;
  const nodesById = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      parents.set(child, node.id);
    }
  }
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) {
      continue;
    }
    const { functionName, url, lineNumber } = node.callFrame;
    const selfMs = hits * msPerSample;
    const pkg = packageOf(url, functionName);
    const charged = chargedPackage(node, parents, nodesById);
    byPackage.set(charged, (byPackage.get(charged) ?? 0) + selfMs);
    const name = `${functionName || '(anonymous)'} ${shortLocation(url, lineNumber)}`;
    const entry = byFunction.get(name) ?? { pkg, selfMs: 0 };
    entry.selfMs += selfMs;
    byFunction.set(name, entry);
  }

  return durationMs;
}

function listProfiles(inputs) {
  return inputs.flatMap((input) =>
    fs.statSync(input).isDirectory()
      ? fs
          .readdirSync(input)
          .filter((name) => name.endsWith('.cpuprofile'))
          .map((name) => path.join(input, name))
      : [input],
  );
}

/** Summarises profiles as Markdown tables of the top `top` entries. */
function summarizeProfiles(files, top = 20) {
  const byPackage = new Map();
  const byFunction = new Map();
  let durationMs = 0;
  for (const file of files) {
    const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
    durationMs += addProfile(profile, byPackage, byFunction);
  }
  const idleMs = byPackage.get('(idle)') ?? 0;
  const busyMs = durationMs - idleMs;
  const share = (ms) => `${((ms / busyMs) * 100).toFixed(1)}%`;

  const lines = [
    `${files.length} profile(s), ${(durationMs / 1000).toFixed(1)} s sampled, ` +
      `${(busyMs / 1000).toFixed(1)} s on the CPU (not idle).`,
    '',
    'Time in Node.js internals and native code is charged to the nearest calling package.',
    '',
    '| package | CPU time, s | share of CPU time |',
    '| --- | ---: | ---: |',
  ];
  const packages = [...byPackage.entries()]
    .filter(([pkg]) => pkg !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
  for (const [pkg, ms] of packages) {
    lines.push(`| ${pkg} | ${(ms / 1000).toFixed(2)} | ${share(ms)} |`);
  }
  lines.push('', '| function (self time) | package | self time, s | share |');
  lines.push('| --- | --- | ---: | ---: |');
  const functions = [...byFunction.entries()]
    .filter(([, entry]) => entry.pkg !== '(idle)')
    .sort((a, b) => b[1].selfMs - a[1].selfMs)
    .slice(0, top);
  for (const [name, entry] of functions) {
    lines.push(
      `| \`${name.trim()}\` | ${entry.pkg} | ${(entry.selfMs / 1000).toFixed(2)} | ${share(entry.selfMs)} |`,
    );
  }

  return lines.join('\n');
}

function main(argv) {
  const topIndex = argv.indexOf('--top');
  const top = topIndex === -1 ? 20 : Number(argv[topIndex + 1]);
  const inputs =
    topIndex === -1
      ? argv
      : argv.filter((_, index) => index !== topIndex && index !== topIndex + 1);
  if (inputs.length === 0 || !Number.isInteger(top) || top < 1) {
    process.stderr.write(
      'usage: node scripts/bench/summarize-profile.js FILE_OR_DIR... [--top N]\n',
    );
    return 2;
  }
  const files = listProfiles(inputs);
  if (files.length === 0) {
    process.stderr.write(`no .cpuprofile files in ${inputs.join(', ')}\n`);
    return 1;
  }
  process.stdout.write(`${summarizeProfiles(files, top)}\n`);

  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}

module.exports = { packageOf, summarizeProfiles };
