#!/usr/bin/env node
// `pnpm bench`: measures one full sync cycle against real Redis, PostgreSQL
// and the tracker simulator, with two references, and writes the figures
// into BENCHMARKS.md. Run `pnpm build` first; `--help` lists the options.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const { updateSection } = require('./benchmarks-file');
const { Cleanup } = require('./cleanup');
const { describeMachine } = require('./machine');
const { USAGE, UsageError, parseOptions } = require('./options');
const { PostgresProbe } = require('./postgres-probe');
const { REDIS_URL, RedisProbe } = require('./redis-probe');
const { renderSection } = require('./report');
const { measureSequential } = require('./sequential');
const { startSimulatorProcess } = require('./simulator-process');
const { summarizeProfiles } = require('./summarize-profile');
const { DiscardedRunError, measureSweep } = require('./sweep');
const { loadBuilt } = require('./workspace');

// Fixed stand-ins the simulator checks, so the adapters' authentication
// code runs as it does against the real trackers.
const CREDENTIALS = {
  githubToken: 'bench-github-token',
  jiraUsername: 'bench@example.com',
  jiraToken: 'bench-jira-token',
};
// Far above GitHub's 5,000 points per hour, so the reference without
// batching measures throughput rather than the simulated rate limit.
const GITHUB_POINTS_PER_HOUR = 1_000_000_000;
const REGISTER_CHUNK = 5_000;
const MAX_ATTEMPTS_PER_RUN = 3;

function log(message) {
  process.stderr.write(`bench: ${message}\n`);
}

async function registerIssues(databaseUrl, issues) {
  const db = loadBuilt('packages/db');
  const database = db.createDatabase({ url: databaseUrl, poolSize: 2 });
  try {
    for (let start = 0; start < issues.length; start += REGISTER_CHUNK) {
      const refs = issues.slice(start, start + REGISTER_CHUNK).map((issue) => ({
        source: issue.source.toUpperCase(),
        project: issue.project,
        key: issue.key,
      }));
      await db.upsertIssues(database, refs);
    }
  } finally {
    await database.$disconnect();
  }
}

function countBySource(issues) {
  const counts = { GITHUB: 0, JIRA: 0, LAUNCHPAD: 0 };
  for (const issue of issues) {
    counts[issue.source.toUpperCase()] += 1;
  }

  return counts;
}

function sweepConfigurations(options) {
  const configurations = [
    { name: 'batched', environment: { ...options.environment } },
  ];
  if (!options.skip.includes('unbatched')) {
    configurations.push({
      name: 'unbatched',
      environment: { ...options.environment, TRACKER_BATCH_SIZE: '1' },
    });
  }

  return configurations;
}

async function openResources(options, cleanup) {
  const { createTestDatabase } = loadBuilt('packages/test-support');
  const { generateIssues } = loadBuilt('apps/tracker-sim');
  const queue = loadBuilt('packages/queue');

  const redisProbe = new RedisProbe();
  cleanup.add('close the Redis probe', () => redisProbe.close());
  const redisFacts = await redisProbe.serverFacts();

  log('creating and migrating a database of its own');
  const database = await createTestDatabase('bench');
  cleanup.add(`drop database ${database.name}`, () => database.drop());
  const postgresProbe = new PostgresProbe(database.name);
  await postgresProbe.connect();
  cleanup.add('close the PostgreSQL probe', () => postgresProbe.close());

  const prefix = `bench-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
  cleanup.add(`delete the Redis keys under ${prefix}`, async () => {
    const deleted = await redisProbe.deletePrefix(prefix);
    log(`deleted ${deleted} Redis keys under ${prefix}`);
  });

  const issues = generateIssues(options.issues, options.seed);
  const registerStarted = performance.now();
  await registerIssues(database.url, issues);
  const registerSeconds = (performance.now() - registerStarted) / 1000;
  log(`registered ${issues.length} issues in ${registerSeconds.toFixed(1)} s`);

  const sim = await startSimulatorProcess({
    issues: options.issues,
    seed: options.seed,
    latencyMs: options.latencyMs,
    credentials: CREDENTIALS,
    githubPointsPerHour: GITHUB_POINTS_PER_HOUR,
  });
  cleanup.add('stop the tracker simulator', () => sim.stop());
  if (sim.issueCount !== options.issues) {
    throw new Error(
      `tracker-sim serves ${sim.issueCount} issues, expected ${options.issues}`,
    );
  }

  const connection = queue.createRedisConnection(
    REDIS_URL,
    'producer',
    'issue-sync-bench',
  );
  connection.on('error', () => {
    // Failing reads report the error themselves.
  });
  const queues = queue.createQueues({
    connection,
    prefix,
    onError: () => undefined,
  });
  cleanup.add('close the bench queues', async () => {
    await queues.close();
    connection.disconnect();
  });

  return {
    options,
    cleanup,
    log,
    credentials: CREDENTIALS,
    databaseName: database.name,
    databaseUrl: database.url,
    queryDatabase: database.query,
    prefix,
    sim,
    queues,
    redisProbe,
    postgresProbe,
    issueCounts: countBySource(issues),
    registerSeconds,
    machine: describeMachine({
      redisVersion: redisFacts.version,
      postgresVersion: await postgresProbe.serverVersion(),
    }),
    redisMaxmemoryPolicy: redisFacts.maxmemoryPolicy,
    baseEnvironment: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: database.url,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      GITHUB_API_URL: sim.githubApiUrl,
      JIRA_BASE_URL: sim.jiraBaseUrl,
      LAUNCHPAD_API_URL: sim.launchpadApiUrl,
      GITHUB_TOKEN: CREDENTIALS.githubToken,
      JIRA_USERNAME: CREDENTIALS.jiraUsername,
      JIRA_TOKEN: CREDENTIALS.jiraToken,
      WORKER_HEALTH_PORT: '0',
      SCHEDULER_HEALTH_PORT: '0',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
    },
  };
}

/** Measures one sweep, redoing it when a known CLI failure spoils it. */
async function measureSweepRun(context, configuration, results) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await measureSweep(context, configuration);
    } catch (error) {
      if (!(error instanceof DiscardedRunError)) {
        throw error;
      }
      results.discarded.push({
        configuration: configuration.name,
        reason: error.message,
      });
      if (attempt >= MAX_ATTEMPTS_PER_RUN) {
        throw new Error(
          `the ${configuration.name} sweep was discarded ${attempt} times in a row; the last time because ${error.message}`,
        );
      }
      log(`${configuration.name} run discarded and redone: ${error.message}`);
    }
  }
}

async function measureAll(context) {
  const { options } = context;
  const results = { sweeps: [], sequential: [], discarded: [] };
  const configurations = sweepConfigurations(options);
  // Alternate the configurations, so slow drift in the machine's load
  // spreads over both instead of favouring one.
  for (let run = 1; run <= options.runs; run += 1) {
    for (const configuration of configurations) {
      log(`${configuration.name} sweep, run ${run} of ${options.runs}`);
      const result = await measureSweepRun(context, configuration, results);
      log(
        `${configuration.name} sweep took ${result.wallSeconds.toFixed(1)} s`,
      );
      results.sweeps.push(result);
    }
  }
  if (!options.skip.includes('sequential')) {
    for (let run = 1; run <= options.runs; run += 1) {
      log(`sequential loop over ${options.sample} issues, run ${run}`);
      const result = await measureSequential(context);
      log(
        `sequential loop: ${(result.estimateSeconds / 60).toFixed(1)} min estimated for all issues`,
      );
      results.sequential.push(result);
    }
  }
  if (options.cpuProfileDir !== undefined) {
    fs.mkdirSync(options.cpuProfileDir, { recursive: true });
    const existing = new Set(fs.readdirSync(options.cpuProfileDir));
    log(`profiled sweep, writing profiles to ${options.cpuProfileDir}`);
    results.profiled = await measureSweepRun(
      context,
      {
        name: 'batched',
        environment: { ...options.environment },
        cpuProfileDir: options.cpuProfileDir,
      },
      results,
    );
    const written = fs
      .readdirSync(options.cpuProfileDir)
      .filter((name) => name.endsWith('.cpuprofile') && !existing.has(name))
      .map((name) => path.join(options.cpuProfileDir, name));
    results.profileFiles = written;
    results.profileSummary = summarizeProfiles(written, 15);
  }

  return results;
}

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  const cleanup = new Cleanup();
  const stopOn = (reason, code) => {
    log(`${reason}; cleaning up`);
    cleanup.runAll().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => stopOn('interrupted', 130));
  process.once('SIGTERM', () => stopOn('terminated', 143));
  const watchdog = setTimeout(
    () => stopOn(`ran longer than --timeout ${options.timeoutMs / 60_000}`, 1),
    options.timeoutMs,
  );

  const started = performance.now();
  try {
    const context = await openResources(options, cleanup);
    const results = await measureAll(context);
    // Everything the section is rendered from, so render.js can redo it.
    const record = {
      argv: process.argv.slice(2),
      date: new Date().toISOString().slice(0, 10),
      totalSeconds: (performance.now() - started) / 1000,
      options,
      machine: context.machine,
      redisMaxmemoryPolicy: context.redisMaxmemoryPolicy,
      issueCounts: context.issueCounts,
      registerSeconds: context.registerSeconds,
      results,
    };
    const section = renderSection(record);
    if (options.jsonFile !== undefined) {
      fs.writeFileSync(
        options.jsonFile,
        `${JSON.stringify(record, null, 2)}\n`,
      );
    }
    process.stdout.write(`${section}\n`);
    if (options.write) {
      updateSection(options.output, options.label, section);
      log(`wrote "${options.label}" to ${options.output}`);
    }

    return 0;
  } finally {
    clearTimeout(watchdog);
    await cleanup.runAll();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    log(`failed: ${error.stack ?? error.message}`);
    process.exitCode = 1;
  },
);
