// Unit tests of the bench's pure helpers: `node --test scripts/bench/`.
const assert = require('node:assert/strict');
const { describe, it } = require('node:test');

const { replaceSection, toSectionId } = require('./benchmarks-file');
const { UsageError, parseOptions } = require('./options');
const {
  diffCommandStats,
  parseCommandStats,
  parseInfo,
} = require('./redis-probe');
const { formatSummary, summarize } = require('./statistics');
const { packageOf } = require('./summarize-profile');

describe('summarize', () => {
  it('returns the middle value of an odd count', () => {
    assert.deepEqual(summarize([3, 1, 2]), {
      median: 2,
      min: 1,
      max: 3,
      count: 3,
    });
  });

  it('averages the two middle values of an even count', () => {
    assert.deepEqual(summarize([4, 1, 3, 2]), {
      median: 2.5,
      min: 1,
      max: 4,
      count: 4,
    });
  });

  it('ignores values that are not finite numbers', () => {
    assert.deepEqual(summarize([undefined, 5, Number.NaN]), {
      median: 5,
      min: 5,
      max: 5,
      count: 1,
    });
  });

  it('returns undefined without a value', () => {
    assert.equal(summarize([undefined]), undefined);
  });
});

describe('formatSummary', () => {
  it('shows the spread when runs differ', () => {
    assert.equal(
      formatSummary({ median: 1234.56, min: 1000, max: 1500, count: 3 }, 1),
      '1,234.6 (1,000.0–1,500.0)',
    );
  });

  it('shows the median alone for one run', () => {
    assert.equal(
      formatSummary({ median: 2, min: 2, max: 2, count: 1 }, 2),
      '2.00',
    );
  });

  it('shows n/a without a summary', () => {
    assert.equal(formatSummary(undefined, 0), 'n/a');
  });
});

describe('replaceSection', () => {
  it('appends a new section with its markers', () => {
    const text = replaceSection('# Benchmarks\n\nIntro.\n', 'A, b', 'body');
    assert.equal(
      text,
      '# Benchmarks\n\nIntro.\n\n<!-- bench:start a-b -->\nbody\n<!-- bench:end a-b -->\n',
    );
  });

  it('replaces only the section of the same label', () => {
    const first = replaceSection('', 'one', 'old');
    const both = replaceSection(first, 'two', 'other');
    const updated = replaceSection(both, 'one', 'new');
    assert.equal(
      updated,
      '# Benchmarks\n\n<!-- bench:start one -->\nnew\n<!-- bench:end one -->\n\n' +
        '<!-- bench:start two -->\nother\n<!-- bench:end two -->\n',
    );
  });

  it('rejects a section whose end marker is missing', () => {
    assert.throws(
      () => replaceSection('<!-- bench:start one -->\nx\n', 'one', 'new'),
      /the markers of "one" are incomplete or out of order/,
    );
  });

  it('derives ids without double hyphens', () => {
    assert.equal(
      toSectionId('10,000 issues, 50 ms -- x'),
      '10-000-issues-50-ms-x',
    );
  });
});

describe('parseOptions', () => {
  it('uses the defaults of the standard run', () => {
    const options = parseOptions([]);
    assert.equal(options.issues, 10_000);
    assert.equal(options.latencyMs, 50);
    assert.equal(options.workers, 1);
    assert.equal(options.runs, 3);
    assert.equal(options.sample, 300);
    assert.deepEqual(options.environment, {});
    assert.deepEqual(options.skip, []);
    assert.equal(options.label, '10,000 issues, 50 ms latency, 1 worker');
  });

  it('runs large sweeps once unless told otherwise', () => {
    assert.equal(parseOptions(['--issues', '100000']).runs, 1);
    assert.equal(parseOptions(['--issues', '100000', '--runs', '2']).runs, 2);
  });

  it('puts worker settings into the label', () => {
    const options = parseOptions([
      '--env',
      'WORKER_CONCURRENCY=100',
      '--workers',
      '2',
    ]);
    assert.deepEqual(options.environment, { WORKER_CONCURRENCY: '100' });
    assert.equal(
      options.label,
      '10,000 issues, 50 ms latency, 2 workers, WORKER_CONCURRENCY=100',
    );
  });

  it('rejects a count that is not a whole number', () => {
    assert.throws(
      () => parseOptions(['--issues', '1e4']),
      new UsageError(
        '--issues is "1e4": expected a whole number of at least 3',
      ),
    );
  });

  it('rejects a setting without a value', () => {
    assert.throws(
      () => parseOptions(['--env', 'WORKER_CONCURRENCY']),
      /--env "WORKER_CONCURRENCY" is invalid: expected NAME=VALUE/,
    );
  });

  it('rejects an unknown reference', () => {
    assert.throws(
      () => parseOptions(['--skip', 'batched']),
      /--skip names "batched": expected a comma-separated list of unbatched, sequential/,
    );
  });
});

describe('Redis INFO parsing', () => {
  const text =
    '# Commandstats\r\ncmdstat_get:calls=3,usec=12,usec_per_call=4.00\r\n' +
    'cmdstat_evalsha:calls=10,usec=500\r\nused_memory:1024\r\n';

  it('reads name:value lines', () => {
    assert.equal(parseInfo(text).used_memory, '1024');
  });

  it('subtracts command counts and drops unused commands', () => {
    const before = parseCommandStats(parseInfo(text));
    const after = { ...before, evalsha: { calls: 14, usec: 700 } };
    assert.deepEqual(diffCommandStats(before, after), {
      evalsha: { calls: 4, usec: 200 },
    });
  });
});

describe('packageOf', () => {
  it('names scoped packages below the pnpm store', () => {
    assert.equal(
      packageOf(
        'file:///r/node_modules/.pnpm/@prisma+client@7.0.0/node_modules/@prisma/client/runtime/client.js',
        'x',
      ),
      '@prisma/client',
    );
  });

  it('names workspace packages and apps', () => {
    assert.equal(
      packageOf('file:///r/packages/db/dist/client.js', 'x'),
      '@issue-sync/db',
    );
    assert.equal(
      packageOf('file:///r/apps/worker/dist/main.js', 'x'),
      'apps/worker',
    );
  });

  it('tells Node.js internals from native frames', () => {
    assert.equal(packageOf('node:events', 'emit'), 'node internals');
    assert.equal(packageOf('', 'writev'), '(native)');
    assert.equal(packageOf('', '(garbage collector)'), '(garbage collector)');
  });
});
