const path = require('node:path');
const { parseArgs } = require('node:util');

const { ROOT } = require('./workspace');

const REFERENCES = ['unbatched', 'sequential'];

const USAGE = `Usage: pnpm bench [options]

Measures one full sync cycle (issue-sync sync --all --wait) against real
Redis, PostgreSQL and the tracker simulator, next to two references: the
same sweep with TRACKER_BATCH_SIZE=1, and a sequential loop over a sample.
Writes the results into BENCHMARKS.md.

Options:
  --issues N          issues registered and served, spread over the three
                      trackers (default 10000)
  --latency-ms N      simulator delay added to every tracker response, in
                      milliseconds (default 50)
  --workers N         worker processes (default 1)
  --runs N            measured sweeps per configuration; each figure is the
                      median with its min-max (default 3, or 1 above 20000
                      issues)
  --sample N          issues of the sequential loop, extrapolated per issue
                      (default 300)
  --seed N            seed of the generated issues (default 1)
  --env NAME=VALUE    worker and CLI setting for every sweep, repeatable, such
                      as --env WORKER_CONCURRENCY=100
  --skip LIST         references to leave out: unbatched, sequential
  --cpu-prof DIR      add one unmeasured sweep with --cpu-prof on the workers,
                      writing .cpuprofile files to DIR
  --label TEXT        title of the section written to the output file
                      (default: derived from the options)
  --output FILE       Markdown file to update (default BENCHMARKS.md)
  --no-write          print the section instead of writing it
  --json FILE         also write every measured figure to FILE as JSON
  --quiet-wait SECONDS
                      before each run, wait up to this long for the machine's
                      CPU to be at most 25% busy (default 60)
  --timeout MINUTES   stop and clean up after this long (default 45)
  --help              print this text
`;

class UsageError extends Error {
  name = 'UsageError';
}

function readCount(values, name, fallback, min) {
  const raw = values[name];
  if (raw === undefined) {
    return fallback;
  }
  if (!/^[0-9]+$/.test(raw) || Number(raw) < min) {
    throw new UsageError(
      `--${name} is "${raw}": expected a whole number of at least ${min}`,
    );
  }

  return Number(raw);
}

function readEnvironment(entries) {
  const environment = {};
  for (const entry of entries ?? []) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(entry);
    if (match === null) {
      throw new UsageError(
        `--env "${entry}" is invalid: expected NAME=VALUE, such as WORKER_CONCURRENCY=100`,
      );
    }
    environment[match[1]] = match[2];
  }

  return environment;
}

function readSkip(raw) {
  if (raw === undefined || raw === '') {
    return [];
  }
  const names = raw.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!REFERENCES.includes(name)) {
      throw new UsageError(
        `--skip names "${name}": expected a comma-separated list of ${REFERENCES.join(', ')}`,
      );
    }
  }

  return names;
}

function describeSettings(options) {
  const parts = [
    `${options.issues.toLocaleString('en-US')} issues`,
    `${options.latencyMs} ms latency`,
    `${options.workers} worker${options.workers === 1 ? '' : 's'}`,
  ];
  for (const [name, value] of Object.entries(options.environment)) {
    parts.push(`${name}=${value}`);
  }

  return parts.join(', ');
}

/**
 * Parses the bench's command line into options.
 *
 * @param {string[]} argv - arguments after the script name
 * @returns the options, or `{ help: true }` for --help
 * @throws UsageError naming the bad option and its expected form
 */
function parseOptions(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        issues: { type: 'string' },
        'latency-ms': { type: 'string' },
        workers: { type: 'string' },
        runs: { type: 'string' },
        sample: { type: 'string' },
        seed: { type: 'string' },
        env: { type: 'string', multiple: true },
        skip: { type: 'string' },
        'cpu-prof': { type: 'string' },
        label: { type: 'string' },
        output: { type: 'string' },
        'no-write': { type: 'boolean' },
        json: { type: 'string' },
        'quiet-wait': { type: 'string' },
        timeout: { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(`${error.message}; see --help`);
  }
  const values = parsed.values;
  if (values.help === true) {
    return { help: true };
  }

  const issues = readCount(values, 'issues', 10_000, 3);
  const options = {
    help: false,
    issues,
    latencyMs: readCount(values, 'latency-ms', 50, 0),
    workers: readCount(values, 'workers', 1, 1),
    runs: readCount(values, 'runs', issues > 20_000 ? 1 : 3, 1),
    sample: readCount(values, 'sample', 300, 3),
    seed: readCount(values, 'seed', 1, 0),
    environment: readEnvironment(values.env),
    skip: readSkip(values.skip),
    cpuProfileDir:
      values['cpu-prof'] === undefined
        ? undefined
        : path.resolve(values['cpu-prof']),
    output: path.resolve(values.output ?? path.join(ROOT, 'BENCHMARKS.md')),
    write: values['no-write'] !== true,
    jsonFile: values.json === undefined ? undefined : path.resolve(values.json),
    maxQuietWaitMs: readCount(values, 'quiet-wait', 60, 0) * 1000,
    timeoutMs: readCount(values, 'timeout', 45, 1) * 60_000,
  };
  // One sweep may take all of the bench's time, but never more.
  options.sweepTimeoutMinutes = Math.min(30, options.timeoutMs / 60_000);
  if (options.sample > issues) {
    options.sample = issues;
  }
  options.label = values.label ?? describeSettings(options);

  return options;
}

module.exports = { USAGE, UsageError, parseOptions };
