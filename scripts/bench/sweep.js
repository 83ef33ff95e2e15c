const os = require('node:os');
const { performance } = require('node:perf_hooks');

const { waitForQuietMachine } = require('./machine');
const {
  ChildApp,
  readCpuSeconds,
  readMachineCpu,
  readMemory,
  runNode,
  sleep,
} = require('./processes');
const { diffCommandStats } = require('./redis-probe');
const { Sampler } = require('./sampler');
const { appMain } = require('./workspace');

const SAMPLE_INTERVAL_MS = 250;
/*
 * `issue-sync sync --wait` can read the sweep job before it completes and
 * its state after, and then fails on the job's missing return value. The
 * sweep itself is fine, but the CLI's timing is lost, so the run is redone.
 */
const CLI_SWEEP_RACE = /Cannot read properties of null \(reading 'issues'\)/;

/** A run whose figures are unusable for a known reason outside the sweep. */
class DiscardedRunError extends Error {
  name = 'DiscardedRunError';
}
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized'];

/**
 * Runs one sweep with `issue-sync sync --all --wait` on freshly started
 * workers and measures it.
 *
 * @param context - the bench's shared resources (see run.js)
 * @param configuration - `{ name, environment, cpuProfileDir? }`
 * @returns the figures of this run
 * @throws Error when the sweep did not sync every issue
 */
async function measureSweep(context, configuration) {
  const { options, sim, redisProbe, postgresProbe, log } = context;
  const machineBefore = await waitForQuietMachine(log, options.maxQuietWaitMs);
  await sim.reset();

  const environment = {
    ...context.baseEnvironment,
    ...configuration.environment,
  };
  // Node rejects --cpu-prof in NODE_OPTIONS, so it goes on the command line.
  const nodeArgs =
    configuration.cpuProfileDir === undefined
      ? []
      : ['--cpu-prof', `--cpu-prof-dir=${configuration.cpuProfileDir}`];
  const workers = Array.from(
    { length: options.workers },
    (_, index) =>
      new ChildApp(
        `worker ${index + 1}`,
        appMain('worker'),
        [],
        environment,
        nodeArgs,
      ),
  );
  const stopWorkers = context.cleanup.add('stop the workers', () =>
    Promise.all(workers.map((worker) => worker.stop())),
  );
  await Promise.all(
    workers.map((worker) =>
      worker.waitForLog((line) => line.message === 'worker started', 60_000),
    ),
  );
  // Let each worker's blocking connections reach Redis before the clock starts.
  await sleep(1_000);

  const before = await readCounters(context, workers);
  const peaks = { workerRssBytes: 0, redisUsedMemoryBytes: 0, connections: 0 };
  postgresProbe.resetBackends();
  const startedAtMs = Date.now();
  const sampler = new Sampler(SAMPLE_INTERVAL_MS, async () => {
    for (const worker of workers) {
      const memory = readMemory(worker.pid);
      peaks.workerRssBytes = Math.max(
        peaks.workerRssBytes,
        memory?.rssBytes ?? 0,
      );
    }
    peaks.redisUsedMemoryBytes = Math.max(
      peaks.redisUsedMemoryBytes,
      await redisProbe.usedMemoryBytes(),
    );
    peaks.connections = Math.max(
      peaks.connections,
      await postgresProbe.sampleConnections(startedAtMs),
    );
  });

  const started = performance.now();
  const startedAt = new Date();
  let cli;
  try {
    cli = await runNode(
      appMain('cli'),
      [
        'sync',
        '--all',
        '--wait',
        '--timeout',
        `${options.sweepTimeoutMinutes}m`,
      ],
      environment,
      (options.sweepTimeoutMinutes + 1) * 60_000,
    );
  } catch (error) {
    await sampler.stop();
    throw error;
  }
  const wallSeconds = (performance.now() - started) / 1000;
  if (cli.code !== 0 && CLI_SWEEP_RACE.test(cli.stderr)) {
    await sampler.stop();
    // Let the sweep finish, so no job of it is left for the next run.
    await waitForIdleQueues(
      context.queues,
      options.sweepTimeoutMinutes * 60_000,
    );
    await stopWorkers();
    throw new DiscardedRunError(
      `issue-sync sync --wait exited early with "${CLI_SWEEP_RACE.exec(cli.stderr)[0]}" after ${wallSeconds.toFixed(1)} s`,
    );
  }
  const idle = await waitForIdleQueues(context.queues, 30_000);
  const after = await readCounters(context, workers);
  await sampler.stop();
  const simStats = await sim.stats();
  const memoryAtEnd = workers.map((worker) => readMemory(worker.pid));
  const sweepLog = workers
    .flatMap((worker) => worker.logs)
    .find((line) => line.message === 'sweep finished');
  const workerLevels = mergeLevelCounts(workers);

  await stopWorkers();
  // Backends flush their statistics as they exit.
  await sleep(1_000);
  const databaseAfter = await postgresProbe.databaseCounters();
  const finishedAfterSeconds = await readFinishTimes(context, startedAt);

  const outcome = parseCliOutcome(cli.stdout);
  if (cli.code !== 0 || outcome?.synced !== options.issues) {
    throw new Error(
      `the ${configuration.name} sweep did not sync all ${options.issues} issues (issue-sync exited ${cli.code}):\n` +
        `${cli.stdout.slice(-2_000)}\n${cli.stderr.slice(-2_000)}\n` +
        `worker output:\n${workers.map((worker) => worker.tail(10)).join('\n')}`,
    );
  }

  return {
    configuration: configuration.name,
    profiled: configuration.cpuProfileDir !== undefined,
    machineBefore,
    loadAverageAfter: os.loadavg(),
    wallSeconds,
    sweepJobMs: sweepLog?.durationMs,
    queuesIdle: idle,
    samplerErrors: sampler.errors,
    requests: {
      GITHUB: simStats.github,
      JIRA: simStats.jira,
      LAUNCHPAD: simStats.launchpad,
    },
    cpuSeconds: {
      workers: after.workerCpu - before.workerCpu,
      simulator: after.simCpu - before.simCpu,
      redis: after.redisCpu - before.redisCpu,
      postgres: postgresProbe.backendCpuSeconds().total,
      postgresCounting: postgresProbe.backendCpuSeconds().counting,
      machineBusy: after.machine.busySeconds - before.machine.busySeconds,
      machineTotal: after.machine.totalSeconds - before.machine.totalSeconds,
    },
    workerPeakRssBytes: Math.max(
      peaks.workerRssBytes,
      ...memoryAtEnd.map((memory) => memory?.peakRssBytes ?? 0),
    ),
    workerSampledPeakRssBytes: peaks.workerRssBytes,
    redis: {
      usedMemoryBefore: before.redisUsedMemory,
      usedMemoryPeak: Math.max(
        peaks.redisUsedMemoryBytes,
        before.redisUsedMemory,
        after.redisUsedMemory,
      ),
      usedMemoryAfter: after.redisUsedMemory,
      prefixBefore: before.prefix,
      prefixAfter: after.prefix,
      commands: diffCommandStats(before.commandStats, after.commandStats),
    },
    postgres: {
      peakConnections: peaks.connections,
      counters: diffCounters(before.database, databaseAfter),
    },
    workerLogLevels: workerLevels,
    finishedAfterSeconds,
  };
}

async function readCounters(context, workers) {
  const { sim, redisProbe, postgresProbe, prefix } = context;

  return {
    machine: readMachineCpu(),
    workerCpu: workers.reduce(
      (sum, worker) => sum + (readCpuSeconds(worker.pid) ?? 0),
      0,
    ),
    simCpu: readCpuSeconds(sim.app.pid) ?? 0,
    redisCpu: await redisProbe.cpuSeconds(),
    redisUsedMemory: await redisProbe.usedMemoryBytes(),
    prefix: await redisProbe.scanPrefix(prefix),
    commandStats: await redisProbe.commandStats(),
    database: await postgresProbe.databaseCounters(),
  };
}

/**
 * Waits until no sync job is waiting, active or delayed. The CLI returns
 * once every issue row was written, which can be a moment before BullMQ
 * removes the last completed jobs.
 */
async function waitForIdleQueues(queues, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await Promise.all(
      queues.all().map((queue) => queue.getJobCounts(...QUEUE_STATES)),
    );
    const pending = counts.reduce(
      (sum, count) =>
        sum + Object.values(count).reduce((total, value) => total + value, 0),
      0,
    );
    if (pending === 0) {
      return true;
    }
    if (Date.now() > deadline) {
      return false;
    }
    await sleep(100);
  }
}

/** Reads when each tracker's last issue was written, in seconds after `startedAt`. */
async function readFinishTimes(context, startedAt) {
  // Prisma stores the timestamp columns in UTC, and extract(epoch) reads a
  // timestamp without time zone as UTC too, whatever the session's zone.
  const rows = await context.queryDatabase(
    `SELECT source::text AS source,
            extract(epoch FROM max(last_attempted_at)) * 1000 AS last_ms
       FROM issue GROUP BY source`,
  );

  return Object.fromEntries(
    rows.map((row) => [
      row.source,
      (Number(row.last_ms) - startedAt.getTime()) / 1000,
    ]),
  );
}

function parseCliOutcome(stdout) {
  const match = /done: ([0-9]+) synced, ([0-9]+) failed/.exec(stdout);

  return match === null
    ? undefined
    : { synced: Number(match[1]), failed: Number(match[2]) };
}

function diffCounters(before, after) {
  return Object.fromEntries(
    Object.entries(after).map(([name, value]) => [name, value - before[name]]),
  );
}

function mergeLevelCounts(workers) {
  const merged = {};
  for (const worker of workers) {
    for (const [level, count] of Object.entries(worker.levelCounts)) {
      merged[level] = (merged[level] ?? 0) + count;
    }
  }

  return merged;
}

module.exports = { DiscardedRunError, measureSweep };
