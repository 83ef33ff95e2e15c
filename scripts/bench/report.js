const { QUIET_BUSY_SHARE } = require('./machine');
const { MB, formatNumber, formatSummary, summarize } = require('./statistics');

const SOURCES = ['GITHUB', 'JIRA', 'LAUNCHPAD'];
const TRACKER_NAMES = {
  GITHUB: 'GitHub',
  JIRA: 'Jira',
  LAUNCHPAD: 'Launchpad',
};

const AIMS = {
  maxBatchedRequestsPerIssue: 0.03,
  minSpeedup: 30,
  maxRedisGrowthBytes: 5 * MB,
  maxWorkerRssBytes: 250 * MB,
};

/** The derived figures of one sweep run. */
function sweepFigures(run, context) {
  const issues = context.options.issues;
  const ours =
    run.cpuSeconds.workers +
    run.cpuSeconds.simulator +
    run.cpuSeconds.redis +
    run.cpuSeconds.postgres;
  const figures = {
    wallSeconds: run.wallSeconds,
    issuesPerSecond: issues / run.wallSeconds,
    sweepJobSeconds:
      run.sweepJobMs === undefined ? undefined : run.sweepJobMs / 1000,
    workerCpuPer1000: run.cpuSeconds.workers / (issues / 1000),
    simulatorCpuPer1000: run.cpuSeconds.simulator / (issues / 1000),
    postgresCpuPer1000: run.cpuSeconds.postgres / (issues / 1000),
    postgresCountingCpuPer1000:
      (run.cpuSeconds.postgresCounting ?? 0) / (issues / 1000),
    redisCpuPer1000: run.cpuSeconds.redis / (issues / 1000),
    workerPeakRssMb: run.workerPeakRssBytes / MB,
    redisBeforeMb: run.redis.usedMemoryBefore / MB,
    redisPeakMb: run.redis.usedMemoryPeak / MB,
    redisAfterMb: run.redis.usedMemoryAfter / MB,
    redisGrowthMb:
      (run.redis.usedMemoryAfter - run.redis.usedMemoryBefore) / MB,
    prefixKeysAfter: run.redis.prefixAfter.keys,
    prefixGrowthKb:
      (run.redis.prefixAfter.bytes - run.redis.prefixBefore.bytes) / 1024,
    prefixGrowthMb:
      (run.redis.prefixAfter.bytes - run.redis.prefixBefore.bytes) / MB,
    peakConnections: run.postgres.peakConnections,
    transactionsPerIssue: run.postgres.counters.xact_commit / issues,
    rowsReadPerIssue: run.postgres.counters.tup_returned / issues,
    machineBusyShare: run.cpuSeconds.machineBusy / run.cpuSeconds.machineTotal,
    otherCpuSeconds: Math.max(0, run.cpuSeconds.machineBusy - ours),
  };
  for (const source of SOURCES) {
    figures[`requests${source}`] =
      run.requests[source].requests / context.issueCounts[source];
    figures[`finished${source}`] = run.finishedAfterSeconds[source];
  }

  return figures;
}

function summarizeRuns(runs, figuresOf) {
  const figures = runs.map(figuresOf);
  const names = figures.length === 0 ? [] : Object.keys(figures[0]);

  return Object.fromEntries(
    names.map((name) => [name, summarize(figures.map((f) => f[name]))]),
  );
}

function sequentialFigures(run) {
  const figures = {
    estimateSeconds: run.estimateSeconds,
    sampleSeconds: run.sampleSeconds,
  };
  for (const source of SOURCES) {
    figures[`meanMs${source}`] = run.meanMs[source];
    figures[`requests${source}`] =
      run.requests[source].requests / run.sampleCounts[source];
  }

  return figures;
}

/** Renders a Markdown table; the first `textColumns` columns align left. */
function table(header, rows, textColumns = 1) {
  const lines = [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, index) => (index < textColumns ? '---' : '---:')).join(' | ')} |`,
  ];
  for (const row of rows) {
    lines.push(`| ${row.join(' | ')} |`);
  }

  return lines.join('\n');
}

function mainTable(batched, unbatched, sequential, context) {
  const columns = [batched, unbatched];
  const cell = (summary, name, decimals) =>
    summary === undefined ? '—' : formatSummary(summary[name], decimals);
  const sequentialCell = (name, decimals) =>
    sequential === undefined ? '—' : formatSummary(sequential[name], decimals);
  const row = (label, name, decimals, sequentialValue = '—') => [
    label,
    ...columns.map((summary) => cell(summary, name, decimals)),
    sequentialValue,
  ];
  const rows = [
    row(
      'wall time of the cycle, s',
      'wallSeconds',
      1,
      sequential === undefined
        ? '—'
        : `${sequentialCell('estimateSeconds', 0)} (estimate)`,
    ),
    row(
      'sweep job (reading the table, adding the jobs), s',
      'sweepJobSeconds',
      1,
    ),
    row(
      'issues synced per second',
      'issuesPerSecond',
      0,
      sequential === undefined
        ? '—'
        : formatNumber(
            context.options.issues / sequential.estimateSeconds.median,
            1,
          ),
    ),
  ];
  for (const source of SOURCES) {
    rows.push(
      row(
        `${TRACKER_NAMES[source]} HTTP requests per issue`,
        `requests${source}`,
        3,
        sequentialCell(`requests${source}`, 3),
      ),
    );
  }
  for (const source of SOURCES) {
    rows.push(
      row(
        `last ${TRACKER_NAMES[source]} issue written after, s`,
        `finished${source}`,
        1,
      ),
    );
  }
  for (const source of SOURCES) {
    rows.push([
      `sequential: ms per ${TRACKER_NAMES[source]} issue`,
      '—',
      '—',
      sequentialCell(`meanMs${source}`, 1),
    ]);
  }
  rows.push(
    row('worker CPU seconds per 1,000 issues', 'workerCpuPer1000', 2),
    row('worker peak resident memory (VmHWM), MB', 'workerPeakRssMb', 0),
    row('Redis used_memory before the sweep, MB', 'redisBeforeMb', 2),
    row('Redis used_memory at its peak, MB', 'redisPeakMb', 2),
    row('Redis used_memory after the sweep, MB', 'redisAfterMb', 2),
    row('Redis used_memory after minus before, MB', 'redisGrowthMb', 2),
    row('keys left under the prefix', 'prefixKeysAfter', 0),
    row('bytes under the prefix, growth, KB', 'prefixGrowthKb', 0),
    row('PostgreSQL connections at peak', 'peakConnections', 0),
    row('SQL transactions per issue', 'transactionsPerIssue', 2),
    row('PostgreSQL rows read per issue', 'rowsReadPerIssue', 0),
    row(
      'PostgreSQL backend CPU seconds per 1,000 issues',
      'postgresCpuPer1000',
      2,
    ),
    row(
      '… of which the CLI progress polling (COUNT queries)',
      'postgresCountingCpuPer1000',
      2,
    ),
    row('simulator CPU seconds per 1,000 issues', 'simulatorCpuPer1000', 2),
    row('Redis server CPU seconds per 1,000 issues', 'redisCpuPer1000', 2),
  );

  return table(
    [
      'figure',
      'batched (default settings)',
      'batching off (TRACKER_BATCH_SIZE=1)',
      'sequential loop',
    ],
    rows,
  );
}

function verdict(met, shortfall) {
  return met ? 'met' : `**not met**: ${shortfall}`;
}

function aimsTable(batched, sequential) {
  const rows = [];
  for (const source of ['GITHUB', 'JIRA']) {
    const value = batched[`requests${source}`];
    const limit = AIMS.maxBatchedRequestsPerIssue;
    rows.push([
      `${TRACKER_NAMES[source]}: at most ${limit} HTTP requests per issue`,
      formatSummary(value, 3),
      verdict(
        value.max <= limit,
        `${formatNumber(value.median / limit, 1)} times the limit`,
      ),
    ]);
  }
  if (sequential !== undefined) {
    const speedup =
      sequential.estimateSeconds.median / batched.wallSeconds.median;
    const needed = sequential.estimateSeconds.median / AIMS.minSpeedup;
    rows.push([
      `cycle at least ${AIMS.minSpeedup} times faster than the sequential loop`,
      `${formatNumber(speedup, 1)} times`,
      verdict(
        speedup >= AIMS.minSpeedup,
        `${formatNumber(AIMS.minSpeedup / speedup, 1)} times too slow: ` +
          `the cycle took ${formatNumber(batched.wallSeconds.median, 1)} s, ` +
          `the aim needs ${formatNumber(needed, 1)} s or less`,
      ),
    ]);
  }
  // used_memory is server-wide, so other clients' keys move it too; the
  // memory of the keys under the bench's prefix is this run's alone.
  const growth = batched.redisGrowthMb;
  const prefixGrowth = batched.prefixGrowthMb;
  const growthLimit = AIMS.maxRedisGrowthBytes / MB;
  const usedMemoryNote =
    Math.abs(growth.median) <= growthLimit
      ? ''
      : ` (used_memory, which counts other clients' keys too, grew ${formatNumber(growth.median, 2)} MB)`;
  rows.push([
    `Redis memory after the cycle within ${growthLimit} MB of before`,
    `used_memory ${formatSummary(growth, 2)} MB; keys under the prefix ${formatSummary(prefixGrowth, 2)} MB`,
    verdict(
      Math.abs(prefixGrowth.median) <= growthLimit,
      `the keys under the prefix grew ${formatNumber(Math.abs(prefixGrowth.median) - growthLimit, 2)} MB over the limit`,
    ) + usedMemoryNote,
  ]);
  const rss = batched.workerPeakRssMb;
  const rssLimit = AIMS.maxWorkerRssBytes / MB;
  rows.push([
    `worker peak resident memory under ${rssLimit} MB`,
    `${formatSummary(rss, 0)} MB`,
    verdict(
      rss.median < rssLimit,
      `${formatNumber(rss.median - rssLimit, 0)} MB over`,
    ),
  ]);

  return table(['aim', 'measured (median, min–max)', 'verdict'], rows, 3);
}

function runsTable(results, context) {
  const rows = [];
  const allSweeps = [
    ...results.sweeps,
    ...(results.profiled === undefined ? [] : [results.profiled]),
  ];
  for (const run of allSweeps) {
    const figures = sweepFigures(run, context);
    rows.push([
      run.profiled
        ? `${run.configuration} (profiled, not counted)`
        : run.configuration,
      formatNumber(run.wallSeconds, 1),
      formatNumber(run.cpuSeconds.workers, 1),
      `${Math.round(run.machineBefore.busyShare * 100)}%`,
      `${Math.round(figures.machineBusyShare * 100)}%`,
      formatNumber(figures.otherCpuSeconds, 1),
      run.machineBefore.loadAverage.map((value) => value.toFixed(2)).join(' '),
    ]);
  }
  for (const run of results.sequential) {
    rows.push([
      `sequential, ${run.sampleSize} issues`,
      formatNumber(run.sampleSeconds, 1),
      '—',
      `${Math.round(run.machineBefore.busyShare * 100)}%`,
      '—',
      '—',
      run.machineBefore.loadAverage.map((value) => value.toFixed(2)).join(' '),
    ]);
  }

  return table(
    [
      'run',
      'wall time, s',
      'worker CPU, s',
      'machine busy before',
      'machine busy during',
      'CPU of other processes during, s',
      'load average before (1, 5, 15 min)',
    ],
    rows,
  );
}

function keysTable(run) {
  const entries = Object.entries(run.redis.prefixAfter.byPattern).sort(
    (a, b) => b[1].bytes - a[1].bytes,
  );

  return table(
    ['key under the prefix (digits as N)', 'keys', 'bytes (MEMORY USAGE)'],
    entries.map(([pattern, group]) => [
      `\`${pattern}\``,
      String(group.keys),
      formatNumber(group.bytes, 0),
    ]),
  );
}

function commandsTable(run, issues, top = 12) {
  const entries = Object.entries(run.redis.commands)
    .sort((a, b) => b[1].usec - a[1].usec)
    .slice(0, top);

  return table(
    ['Redis command', 'calls per issue', 'server time per issue, µs'],
    entries.map(([name, entry]) => [
      `\`${name}\``,
      formatNumber(entry.calls / issues, 2),
      formatNumber(entry.usec / issues, 1),
    ]),
  );
}

function endpointsTable(results) {
  const rows = [];
  const first = (name) =>
    results.sweeps.find((run) => run.configuration === name);
  const runs = [
    ['batched', first('batched')],
    ['batching off', first('unbatched')],
    ['sequential sample', results.sequential[0]],
  ];
  for (const [label, run] of runs) {
    if (run === undefined) {
      continue;
    }
    for (const source of SOURCES) {
      for (const [endpoint, count] of Object.entries(
        run.requests[source].byEndpoint,
      )) {
        rows.push([
          label,
          TRACKER_NAMES[source],
          `\`${endpoint}\``,
          String(count),
        ]);
      }
    }
  }

  return table(['run', 'tracker', 'endpoint', 'requests'], rows, 3);
}

function logLevels(results) {
  const merged = {};
  for (const run of results.sweeps) {
    for (const [level, count] of Object.entries(run.workerLogLevels)) {
      merged[level] = (merged[level] ?? 0) + count;
    }
  }

  return Object.entries(merged)
    .map(([level, count]) => `${count} ${level}`)
    .join(', ');
}

function quote(arg) {
  return /^[A-Za-z0-9_./=,:-]+$/.test(arg)
    ? arg
    : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * Renders the Markdown section of one bench invocation: settings,
 * machine, the main table, the aims and the details behind them.
 */
function renderSection(record) {
  const { options, results, totalSeconds } = record;
  const context = record;
  const figuresOf = (run) => sweepFigures(run, context);
  const batched = summarizeRuns(
    results.sweeps.filter((run) => run.configuration === 'batched'),
    figuresOf,
  );
  const unbatchedRuns = results.sweeps.filter(
    (run) => run.configuration === 'unbatched',
  );
  const unbatched =
    unbatchedRuns.length === 0
      ? undefined
      : summarizeRuns(unbatchedRuns, figuresOf);
  const sequential =
    results.sequential.length === 0
      ? undefined
      : summarizeRuns(results.sequential, sequentialFigures);
  const machine = context.machine;
  const args = record.argv.map(quote).join(' ');
  const lastBatched = results.sweeps
    .filter((run) => run.configuration === 'batched')
    .at(-1);
  const noisy = [...results.sweeps, ...results.sequential].some(
    (run) => run.machineBefore.busyShare > QUIET_BUSY_SHARE,
  );

  const lines = [
    `### ${options.label}`,
    '',
    `Command: \`pnpm bench${args === '' ? '' : ` ${args}`}\`, run on ${record.date} at commit ${machine.commit}; ` +
      `the whole bench took ${formatNumber(totalSeconds / 60, 1)} min.`,
    '',
    `Machine: ${machine.cores} × ${machine.cpuModel}, ${formatNumber(machine.memoryBytes / 1024 ** 3, 1)} GiB, ${machine.kernel}; ` +
      `Node.js ${machine.node}, Redis ${machine.redis} (maxmemory-policy ${context.redisMaxmemoryPolicy}), PostgreSQL ${machine.postgres}. ` +
      "Other engineers' test suites share this machine, Redis and PostgreSQL, so figures are noisy; the runs table shows how busy the machine was.",
    '',
    `Settings: ${options.issues.toLocaleString('en-US')} issues ` +
      `(${SOURCES.map((s) => `${context.issueCounts[s].toLocaleString('en-US')} ${TRACKER_NAMES[s]}`).join(', ')}), ` +
      `simulator latency ${options.latencyMs} ms, ${options.workers} worker process${options.workers === 1 ? '' : 'es'}, ` +
      `${options.runs} run${options.runs === 1 ? '' : 's'} per configuration` +
      (Object.keys(options.environment).length === 0
        ? ', every other setting at its default.'
        : `, with ${Object.entries(options.environment)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}; every other setting at its default.`) +
      ` Registering the issues took ${formatNumber(context.registerSeconds, 1)} s.` +
      (sequential === undefined
        ? ''
        : ` The sequential loop synced ${results.sequential[0].sampleSize} issues per run; its cycle time is extrapolated from the mean per tracker.`),
    '',
    'Each cell is the median over the runs, with min–max in brackets when they differ.',
    '',
    mainTable(batched, unbatched, sequential, context),
    '',
  ];
  if (unbatched !== undefined) {
    lines.push(
      `Batching made the cycle ${formatNumber(unbatched.wallSeconds.median / batched.wallSeconds.median, 2)} times as fast ` +
        `(${formatNumber(batched.wallSeconds.median, 1)} s against ${formatNumber(unbatched.wallSeconds.median, 1)} s with TRACKER_BATCH_SIZE=1) ` +
        `and divided the GitHub requests by ${formatNumber(unbatched.requestsGITHUB.median / batched.requestsGITHUB.median, 0)} ` +
        `and the Jira requests by ${formatNumber(unbatched.requestsJIRA.median / batched.requestsJIRA.median, 0)}.`,
      '',
    );
  }
  lines.push('Aims:', '', aimsTable(batched, sequential), '');
  lines.push(
    '<details><summary>Runs, Redis keys and commands, simulator endpoints</summary>',
    '',
    noisy
      ? `Some runs started while the machine was more than ${QUIET_BUSY_SHARE * 100}% busy with other work.`
      : `Every run started with the machine at most ${QUIET_BUSY_SHARE * 100}% busy.`,
    '',
    runsTable(results, context),
    '',
    `Keys under the prefix after the last batched sweep (before it: ${lastBatched.redis.prefixBefore.keys} keys):`,
    '',
    keysTable(lastBatched),
    '',
    'Redis commands of the last batched sweep, server-wide (other clients included), by server time:',
    '',
    commandsTable(lastBatched, options.issues),
    '',
    endpointsTable(results),
    '',
    `Worker log lines over all measured sweeps: ${logLevels(results) || 'none'}.`,
    '',
    results.discarded.length === 0
      ? 'No run was discarded.'
      : `Runs discarded and redone: ${results.discarded.map((run) => `${run.configuration} (${run.reason})`).join('; ')}.`,
    '',
  );
  if (results.profileSummary !== undefined) {
    lines.push(
      `CPU profile of the workers in one extra batched sweep (\`--cpu-prof\`, ${formatNumber(results.profiled.wallSeconds, 1)} s wall time, start-up included):`,
      '',
      results.profileSummary,
      '',
    );
  }
  lines.push('</details>');

  return lines.join('\n');
}

module.exports = { AIMS, renderSection, sweepFigures };
