'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createRequire } = require('node:module');
const { applyFaults, chooseFaults } = require('./faults');
const { createRandom } = require('./random');

const ROOT = path.resolve(__dirname, '../..');
// The root package depends on no workspace package, so the soak takes the
// built test helpers and their ioredis from packages/test-support.
const testSupport = require(
  path.join(ROOT, 'packages/test-support/dist/index.js'),
);
const { Redis } = createRequire(
  path.join(ROOT, 'packages/test-support/package.json'),
)('ioredis');

const GITHUB_TOKEN = 'ghp_soakCanaryToken0001';
const JIRA_USERNAME = 'soak@example.com';
const JIRA_TOKEN = 'jira-soak-canary-0002';
const SYNC_QUEUE_OF = {
  GITHUB: 'sync-github',
  JIRA: 'sync-jira',
  LAUNCHPAD: 'sync-launchpad',
};
const SYNC_QUEUES = Object.values(SYNC_QUEUE_OF);
const SCHEDULER_ID = 'sweep-every-interval';
const MEBIBYTE = 1024 * 1024;
const POLL_MS = 100;

/**
 * @typedef {object} SoakOptions
 * @property {number} sweeps sweeps to run and check
 * @property {number} intervalMs SYNC_INTERVAL in milliseconds, a whole number of seconds
 * @property {number} seed seed of the faults and restarts
 * @property {number} issues issues, split evenly over the three trackers
 * @property {number} failedKeepCount FAILED_JOBS_KEEP_COUNT
 * @property {number} faultShare share of the issues that get a fault in each sweep
 * @property {number} memoryGrowthBoundBytes allowed growth of the long-lived worker's RSS after a full GC
 * @property {number} heapGrowthBoundBytes allowed growth of its V8 heap after a full GC
 * @property {(line: string) => void} [log] receives one line per sweep
 */

/**
 * @typedef {object} SweepRecord
 * @property {number} index 1 for the first sweep
 * @property {string} startedAt when a worker began the sweep job, ISO 8601
 * @property {number} durationMs how long the sweep job took to add its jobs
 * @property {number} issues issue rows the sweep read
 * @property {number} added sync jobs it added
 * @property {number} skipped issues that still had a pending job
 * @property {boolean} rerun whether the sweep job ran again after its worker was killed
 * @property {number[]} notAttempted ids of issues neither attempted since the sweep started nor pending
 * @property {number[]} late ids of issues not attempted yet but with a pending job
 * @property {Record<string, number>} failed issues per source whose last attempt failed
 * @property {Array<Record<string, unknown>>} notAttemptedDetails the row, pending job and logs of the first five lost and five late issues
 * @property {number} faults issue and tracker faults set for the sweep
 * @property {import('./faults').FaultPlan} faultPlan the faults set for the sweep
 * @property {number | undefined} workerRssBytes the long-lived worker's VmRSS before a full GC
 * @property {number} workerRssAfterGcBytes its RSS right after a full GC
 * @property {number} workerHeapAfterGcBytes its V8 heap in use right after a full GC
 * @property {number | undefined} workerCpuSeconds the CPU time the long-lived worker has used so far
 * @property {number} loadAverage the machine's 1-minute load average, which explains slow sweeps
 * @property {Record<string, number>} failedJobs failed jobs kept per sync queue
 * @property {{ signal: string, afterMs: number, downMs: number } | undefined} restart
 *   the restart of the second worker in this sweep, if any
 * @property {number} snapshotAt when the checks read the database, epoch milliseconds
 * @property {boolean} lateSnapshot whether the next sweep had started before the snapshot
 */

/**
 * @typedef {object} WindowComparison
 * @property {number} earlyMedianBytes
 * @property {number} lateMedianBytes
 * @property {number} growthBytes late median minus early median
 * @property {number} boundBytes
 */

/**
 * @typedef {object} MemorySummary
 * @property {number[]} earlySweeps first and last sweep of the early window
 * @property {number[]} lateSweeps first and last sweep of the late window
 * @property {WindowComparison} heapAfterGc the V8 heap in use after a full GC
 * @property {WindowComparison} rssAfterGc RSS after a full GC
 * @property {number} rssMinBytes lowest VmRSS sampled before a GC
 * @property {number} rssMaxBytes highest VmRSS sampled before a GC
 */

/**
 * @typedef {object} SoakReport
 * @property {Omit<SoakOptions, 'log'>} options
 * @property {SweepRecord[]} sweeps
 * @property {MemorySummary} memory
 * @property {number} restarts restarts of the second worker
 * @property {number} warmupSweeps sweeps before the first counted one, which ran without faults
 * @property {number | undefined} workerPeakRssBytes the long-lived worker's VmHWM at the end
 * @property {string[]} violations failed checks, empty when the soak passed
 */

/** @type {Omit<SoakOptions, 'log'>} */
const DEFAULT_OPTIONS = {
  sweeps: 50,
  intervalMs: 10_000,
  seed: 1,
  issues: 600,
  failedKeepCount: 50,
  faultShare: 0.04,
  memoryGrowthBoundBytes: 24 * MEBIBYTE,
  heapGrowthBoundBytes: 8 * MEBIBYTE,
};

function clamp(value, min, max) {
  return Math.round(Math.min(max, Math.max(min, value)));
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Reads a field such as VmRSS from /proc/PID/status, in bytes. */
function readProcessMemory(pid, field) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    return match === null ? undefined : Number(match[1]) * 1024;
  } catch {
    // The process exited; the caller records no sample.
    return undefined;
  }
}

/**
 * Reads the CPU time a process has used from /proc/PID/stat, in seconds
 * (utime plus stime, in clock ticks of 1/100 s on Linux x86 and arm64).
 */
function readCpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may contain spaces, start at 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    // The process exited; the caller records no sample.
    return undefined;
  }
}

/**
 * Adds to each not-attempted issue of the report the log lines every
 * worker wrote about its job, so a violation shows what happened to it.
 */
function attachJobLogs(report, processes) {
  for (const sweep of report.sweeps) {
    for (const detail of sweep.notAttemptedDetails) {
      detail.logs = processes.all
        .flatMap((child) =>
          child.logs
            .filter((line) => line.jobId === detail.jobId)
            .map((line) => ({ pid: child.pid, ...line })),
        )
        .slice(0, 20);
    }
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);

  return sorted.length % 2 === 1
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Builds `count` issues, a third per tracker, as the simulator takes them. */
function buildIssues(count) {
  const perTracker = Math.ceil(count / 3);
  const issues = [];
  for (let n = 1; n <= perTracker; n += 1) {
    issues.push(
      {
        source: 'github',
        project: `soak-org/repo-${n % 5}`,
        key: String(n),
        title: `soak ${n}`,
        status: 'OPEN',
      },
      {
        source: 'jira',
        project: 'SOAK',
        key: String(n),
        title: `soak ${n}`,
        status: 'To Do',
      },
      {
        source: 'launchpad',
        project: 'soak-project',
        key: String(5_000_000 + n),
        title: `soak ${n}`,
        status: 'New',
      },
    );
  }

  return issues.slice(0, count);
}

function issueUrl(issue, jiraBaseUrl) {
  if (issue.source === 'github') {
    return `https://github.com/${issue.project}/issues/${issue.key}`;
  }
  if (issue.source === 'jira') {
    return `${jiraBaseUrl}/browse/${issue.project}-${issue.key}`;
  }

  return `https://bugs.launchpad.net/${issue.project}/+bug/${issue.key}`;
}

/** Sweep jobs as BullMQ keeps them: the completed set and each job's hash. */
class SweepWatcher {
  constructor(redis, prefix) {
    this.redis = redis;
    this.prefix = prefix;
    this.seen = new Set();
  }

  /** When the schedule fires next, in epoch milliseconds. */
  async nextRunAt() {
    const score = await this.redis.zscore(
      `${this.prefix}:sweep:repeat`,
      SCHEDULER_ID,
    );
    return score === null ? undefined : Number(score);
  }

  /** Tells whether a sweep is waiting, running or finished but not returned. */
  async hasSweepSinceLast() {
    const ids = await this.redis.zrange(
      `${this.prefix}:sweep:completed`,
      0,
      -1,
    );
    const waiting = await this.redis.llen(`${this.prefix}:sweep:wait`);
    const active = await this.redis.llen(`${this.prefix}:sweep:active`);

    return waiting + active > 0 || ids.some((id) => !this.seen.has(id));
  }

  /** Waits for the next completed sweep this watcher has not returned yet. */
  async waitForSweep(deadline) {
    for (;;) {
      const ids = await this.redis.zrange(
        `${this.prefix}:sweep:completed`,
        0,
        -1,
      );
      const id = ids.find((candidate) => !this.seen.has(candidate));
      if (id !== undefined) {
        this.seen.add(id);
        const job = await this.redis.hgetall(`${this.prefix}:sweep:${id}`);
        return {
          id,
          processedOn: Number(job.processedOn),
          finishedOn: Number(job.finishedOn),
          // A sweep whose worker was killed runs again and finds its own
          // first jobs pending, so its skipped count means nothing.
          rerun: Number(job.stc ?? 0) > 0 || Number(job.ats ?? 1) > 1,
          result: JSON.parse(job.returnvalue ?? '{}'),
        };
      }
      if (Date.now() > deadline) {
        throw new Error(
          `no sweep finished by ${new Date(deadline).toISOString()}: check the scheduler and worker logs`,
        );
      }
      await sleep(POLL_MS);
    }
  }
}

async function countFailedJobs(redis, prefix) {
  const counts = {};
  for (const queue of SYNC_QUEUES) {
    counts[queue] = await redis.zcard(`${prefix}:${queue}:failed`);
  }

  return counts;
}

async function countPendingJobs(redis, prefix) {
  let pending = 0;
  for (const queue of SYNC_QUEUES) {
    pending +=
      (await redis.llen(`${prefix}:${queue}:wait`)) +
      (await redis.llen(`${prefix}:${queue}:active`)) +
      (await redis.zcard(`${prefix}:${queue}:delayed`)) +
      (await redis.zcard(`${prefix}:${queue}:prioritized`));
  }

  return pending;
}

/**
 * Reads each issue's last attempt in epoch milliseconds. Prisma stores
 * timestamps as UTC, which is what extract(epoch) assumes for a timestamp
 * without time zone.
 */
async function readAttempts(db) {
  const rows = await db.query(
    `SELECT id, source, sync_status,
            floor(extract(epoch FROM last_attempted_at) * 1000)::bigint AS attempted_at
       FROM issue ORDER BY id`,
  );

  return rows.map((row) => ({
    id: row.id,
    source: row.source,
    syncStatus: row.sync_status,
    attemptedAt: row.attempted_at === null ? null : Number(row.attempted_at),
  }));
}

/**
 * Describes issues for a report: their row as `readAttempts` read it and,
 * when they have one, their pending sync job's state from Redis.
 */
async function describeIssues(redis, prefix, attempts, ids) {
  const queues = {
    GITHUB: 'sync-github',
    JIRA: 'sync-jira',
    LAUNCHPAD: 'sync-launchpad',
  };
  const details = [];
  for (const id of ids) {
    const row = attempts.find((issue) => issue.id === id);
    const queue = SYNC_QUEUE_OF[row?.source];
    const jobId = await redis.get(`${prefix}:${queue}:de:issue-${id}`);
    const job =
      jobId === null ? {} : await redis.hgetall(`${prefix}:${queue}:${jobId}`);
    details.push({
      ...row,
      jobId,
      attemptsMade: job.atm ?? job.attemptsMade,
      processedOn: job.processedOn,
      failedReason: job.failedReason,
      delay: job.delay,
    });
  }

  return details;
}

/**
 * Asks a worker started with heap-probe.js for its memory after a full
 * garbage collection: sends SIGUSR2 and waits for the probe's log line.
 */
async function probeHeap(worker) {
  const from = worker.logs.length;
  worker.kill('SIGUSR2');
  const deadline = Date.now() + 5_000;
  for (;;) {
    const line = worker.logs
      .slice(from)
      .find((entry) => entry.message === 'soak heap probe');
    if (line !== undefined) {
      return { rss: Number(line.rss), heapUsed: Number(line.heapUsed) };
    }
    if (Date.now() > deadline) {
      throw new Error(
        'the long-lived worker sent no heap probe line within 5 s of SIGUSR2: check that it still runs',
      );
    }
    await sleep(20);
  }
}

/** The running processes of a soak and the one worker it restarts. */
class SoakProcesses {
  constructor(env) {
    this.env = env;
    this.all = [];
    this.restarts = 0;
  }

  start(app, args = [], extraEnv = {}) {
    const child = new testSupport.AppProcess(
      app,
      { ...this.env, ...extraEnv },
      args,
    );
    this.all.push(child);
    return child;
  }

  async startWorker(extraEnv = {}) {
    const worker = this.start('worker', [], extraEnv);
    await worker.waitForLog((line) => line.message === 'worker started');
    return worker;
  }

  /** Stops `worker` with `signal`, waits `downMs`, starts a new one. */
  async restart(worker, signal, downMs) {
    worker.kill(signal);
    await worker.exited;
    this.restarts += 1;
    await sleep(downMs);

    return this.startWorker();
  }

  async stopAll() {
    await Promise.all(this.all.map((child) => child.stop()));
  }
}

async function startSimulator(processes, issues, directory) {
  const dataFile = path.join(directory, 'sim-data.json');
  fs.writeFileSync(dataFile, JSON.stringify({ issues }));
  const sim = processes.start('tracker-sim', [
    '--port',
    '0',
    '--data',
    dataFile,
    '--github-token',
    GITHUB_TOKEN,
    '--jira-username',
    JIRA_USERNAME,
    '--jira-token',
    JIRA_TOKEN,
    '--github-points-per-hour',
    '1000000',
  ]);
  const listening = await sim.waitForLog(
    (line) => line.message === 'tracker-sim listening',
  );

  return String(listening.url);
}

function appEnvironment(options, db, prefix, simUrl) {
  const intervalSec = options.intervalMs / 1000;

  return {
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: '5',
    REDIS_URL: testSupport.REDIS_URL,
    QUEUE_PREFIX: prefix,
    GITHUB_API_URL: `${simUrl}/github`,
    JIRA_BASE_URL: `${simUrl}/jira`,
    LAUNCHPAD_API_URL: `${simUrl}/launchpad/devel`,
    GITHUB_TOKEN,
    JIRA_USERNAME,
    JIRA_TOKEN,
    SYNC_INTERVAL: `${intervalSec}s`,
    SYNC_RETRY_ATTEMPTS: '3',
    SYNC_RETRY_BACKOFF_MS: '200',
    FAILED_JOBS_KEEP_COUNT: String(options.failedKeepCount),
    // A killed worker's jobs go back to the queue once their lock expired
    // and two stalled-job checks later, about two seconds at the minimum
    // lock duration. They must be done again before the next sweep.
    WORKER_LOCK_DURATION_MS: '1000',
    SHUTDOWN_GRACE_MS: String(clamp(options.intervalMs / 4, 1000, 2000)),
    TRACKER_TIMEOUT_MS: String(clamp(options.intervalMs / 3, 1000, 3000)),
    WORKER_CONCURRENCY: '20',
    WORKER_HEALTH_PORT: '0',
    SCHEDULER_HEALTH_PORT: '0',
    LOG_LEVEL: 'info',
  };
}

/**
 * Finds the issues not attempted since `sweep` started, as the snapshot
 * before the next sweep shows them. Those with a pending job are late: the
 * next sweep skips them if the job is still pending when it runs, which
 * its `skipped` count shows. Those without one were lost.
 */
async function checkAttempts(redis, prefix, sweep, attempts) {
  const unattempted = attempts.filter(
    (issue) =>
      issue.attemptedAt === null || issue.attemptedAt < sweep.processedOn,
  );
  const late = [];
  const notAttempted = [];
  for (const issue of unattempted) {
    const queue = SYNC_QUEUE_OF[issue.source];
    const jobId = await redis.get(`${prefix}:${queue}:de:issue-${issue.id}`);
    (jobId === null ? notAttempted : late).push(issue.id);
  }
  const failed = {};
  for (const issue of attempts) {
    if (issue.syncStatus === 'SYNC_FAILED') {
      failed[issue.source] = (failed[issue.source] ?? 0) + 1;
    }
  }

  return { late, notAttempted, failed };
}

/** Plans the second worker's restart in the window of one sweep, or none. */
function planRestart(random, intervalMs) {
  if (!random.chance(0.3)) {
    return undefined;
  }

  return {
    signal: random.pick(['SIGKILL', 'SIGTERM']),
    afterMs: random.integer(0, Math.floor(intervalMs * 0.2)),
    downMs: random.integer(0, Math.min(1000, Math.floor(intervalMs / 10))),
  };
}

/** Compares the median of `values` in two windows of sweeps. */
function compareWindows(values, earlyStart, window, boundBytes) {
  const early = values.slice(earlyStart - 1, earlyStart - 1 + window);
  const late = values.slice(-window);
  const earlyMedianBytes = early.length === 0 ? 0 : median(early);
  const lateMedianBytes = late.length === 0 ? 0 : median(late);

  return {
    earlyMedianBytes,
    lateMedianBytes,
    growthBytes: lateMedianBytes - earlyMedianBytes,
    boundBytes,
  };
}

/**
 * Compares the long-lived worker's memory after a full garbage collection
 * early in the soak, after a warm-up of a fifth of the sweeps, with the
 * end: the median of a window of a tenth of the sweeps each (sweeps 10-14
 * and 46-50 of 50). RSS as sampled before the collection is only reported,
 * because it follows V8's heap sizing more than what the worker keeps.
 */
function summarizeMemory(sweeps, options) {
  const window = Math.max(2, Math.round(options.sweeps / 10));
  const earlyStart = Math.max(2, Math.round(options.sweeps / 5));
  const rss = sweeps.map((sweep) => sweep.workerRssBytes ?? 0);

  return {
    earlySweeps: [earlyStart, earlyStart + window - 1],
    lateSweeps: [sweeps.length - window + 1, sweeps.length],
    heapAfterGc: compareWindows(
      sweeps.map((sweep) => sweep.workerHeapAfterGcBytes),
      earlyStart,
      window,
      options.heapGrowthBoundBytes,
    ),
    rssAfterGc: compareWindows(
      sweeps.map((sweep) => sweep.workerRssAfterGcBytes),
      earlyStart,
      window,
      options.memoryGrowthBoundBytes,
    ),
    rssMinBytes: rss.length === 0 ? 0 : Math.min(...rss),
    rssMaxBytes: rss.length === 0 ? 0 : Math.max(...rss),
  };
}

function findViolations(report, options) {
  const violations = [];
  if (report.sweeps.length !== options.sweeps) {
    violations.push(
      `${report.sweeps.length} sweeps were checked, expected ${options.sweeps}`,
    );
  }
  for (const sweep of report.sweeps) {
    if (sweep.skipped > 0 && !sweep.rerun) {
      violations.push(
        `sweep ${sweep.index} skipped ${sweep.skipped} issues whose job from the previous sweep was still pending`,
      );
    }
    if (sweep.notAttempted.length > 0) {
      violations.push(
        `sweep ${sweep.index} lost issues ${sweep.notAttempted.slice(0, 10).join(', ')}: not attempted and no job pending`,
      );
    }
    if (sweep.lateSnapshot) {
      violations.push(
        `the snapshot after sweep ${sweep.index} was taken once the next sweep had started`,
      );
    }
    for (const [queue, count] of Object.entries(sweep.failedJobs)) {
      if (count > options.failedKeepCount) {
        violations.push(
          `${queue} kept ${count} failed jobs after sweep ${sweep.index}, more than FAILED_JOBS_KEEP_COUNT=${options.failedKeepCount}`,
        );
      }
    }
  }
  const capReached = report.sweeps.some((sweep) =>
    Object.values(sweep.failedJobs).some(
      (count) => count === options.failedKeepCount,
    ),
  );
  if (!capReached) {
    violations.push(
      `no queue ever kept FAILED_JOBS_KEEP_COUNT=${options.failedKeepCount} failed jobs, so the bound was not exercised`,
    );
  }
  const windows = `sweeps ${report.memory.earlySweeps.join('-')} to ${report.memory.lateSweeps.join('-')}`;
  for (const [name, comparison] of [
    ['heap', report.memory.heapAfterGc],
    ['RSS', report.memory.rssAfterGc],
  ]) {
    if (comparison.growthBytes > comparison.boundBytes) {
      violations.push(
        `the long-lived worker's ${name} after a full GC grew by ${(comparison.growthBytes / MEBIBYTE).toFixed(1)} MiB from ${windows}, more than ${(comparison.boundBytes / MEBIBYTE).toFixed(1)} MiB`,
      );
    }
  }

  return violations;
}

function describeSweep(sweep) {
  const failed = Object.entries(sweep.failed)
    .map(([source, count]) => `${source} ${count}`)
    .join(', ');
  const restart =
    sweep.restart === undefined
      ? ''
      : `, worker restarted (${sweep.restart.signal})`;

  return `sweep ${sweep.index}: ${sweep.issues} issues, ${sweep.added} added, ${sweep.skipped} already pending, ${sweep.late.length} late, ${sweep.notAttempted.length} lost, ${sweep.faults} faults, failed: ${failed || 'none'}, worker RSS ${(sweep.workerRssBytes / MEBIBYTE).toFixed(1)} MiB, after GC ${(sweep.workerRssAfterGcBytes / MEBIBYTE).toFixed(1)} MiB, heap ${(sweep.workerHeapAfterGcBytes / MEBIBYTE).toFixed(1)} MiB${restart}`;
}

/** Registers the soak's issues with `issue-sync import`. */
async function importIssues(env, issues, simUrl, directory) {
  const file = path.join(directory, 'issues.txt');
  fs.writeFileSync(
    file,
    issues.map((issue) => issueUrl(issue, `${simUrl}/jira`)).join('\n'),
  );
  const imported = await testSupport.runCli(env, ['import', file]);
  if (imported.code !== 0) {
    throw new Error(`issue-sync import failed: ${imported.stderr}`);
  }
}

/**
 * Waits out the sweeps the scheduler runs on start-up. It runs a first
 * sweep as soon as it registers the schedule and the next one at the
 * following multiple of the interval, which may be much sooner than one
 * interval. Sweeps run without faults until one has finished all its jobs
 * with time to spare before the next, and only the sweeps after that count.
 * Returns when the first counted sweep is due and how many were waited out.
 */
async function warmUp(watcher, redis, prefix, guardMs, intervalMs) {
  for (let sweeps = 1; ; sweeps += 1) {
    await watcher.waitForSweep(Date.now() + intervalMs * 3);
    while ((await countPendingJobs(redis, prefix)) > 0) {
      await sleep(POLL_MS);
    }
    const nextAt = await watcher.nextRunAt();
    if (
      nextAt !== undefined &&
      nextAt - Date.now() > guardMs * 2 &&
      !(await watcher.hasSweepSinceLast())
    ) {
      return { nextAt, sweeps };
    }
  }
}

/**
 * Waits until just before the next sweep, so that each sweep has its whole
 * interval to finish. After the last one there is no next sweep to wait
 * for once every job has finished.
 */
async function waitForSnapshot(redis, prefix, nextAt, guardMs, lastSweep) {
  while (
    Date.now() < nextAt - guardMs &&
    !(lastSweep && (await countPendingJobs(redis, prefix)) === 0)
  ) {
    await sleep(POLL_MS);
  }
}

/**
 * Reads what the checks need after `sweep`: every issue's attempt, the
 * long-lived worker's memory before and after a full GC, and the failed-job
 * sets.
 */
async function takeSnapshot(db, redis, prefix, sweep, longLived) {
  const snapshotAt = Date.now();
  const attempts = await readAttempts(db);
  const workerRssBytes = readProcessMemory(longLived.pid, 'VmRSS');
  const probe = await probeHeap(longLived);
  const checked = await checkAttempts(redis, prefix, sweep, attempts);
  const notAttemptedDetails = await describeIssues(redis, prefix, attempts, [
    ...checked.notAttempted.slice(0, 5),
    ...checked.late.slice(0, 5),
  ]);

  return {
    ...checked,
    notAttemptedDetails,
    workerRssBytes,
    workerRssAfterGcBytes: probe.rss,
    workerHeapAfterGcBytes: probe.heapUsed,
    workerCpuSeconds: readCpuSeconds(longLived.pid),
    loadAverage: os.loadavg()[0],
    failedJobs: await countFailedJobs(redis, prefix),
    snapshotAt,
  };
}

/**
 * Runs a soak: a tracker simulator, a scheduler and two workers against a
 * database and queue prefix of their own, for `sweeps` sweeps of
 * SYNC_INTERVAL. Before each sweep it replaces the simulator's faults with
 * seeded random ones, and in some sweeps it stops one worker (SIGKILL or
 * SIGTERM) and starts it again. Just before each next sweep it reads every
 * issue's last_attempted_at and its pending job, the other worker's memory
 * and the failed-job sets. An issue is skipped when a sweep finds its job
 * from the previous sweep still pending, and lost when it was neither
 * attempted nor pending. With neither, last_attempted_at advances in every
 * sweep. Returns the report; `violations` lists what failed.
 *
 * @param {Partial<SoakOptions>} [overrides]
 * @returns {Promise<SoakReport>}
 */
async function runSoak(overrides = {}) {
  const options = { ...DEFAULT_OPTIONS, ...overrides };
  if (
    !Number.isInteger(options.intervalMs / 1000) ||
    options.intervalMs < 2000
  ) {
    throw new Error(
      `intervalMs is ${options.intervalMs}: use a whole number of seconds, at least 2000`,
    );
  }
  const log = options.log ?? (() => undefined);
  const random = createRandom(options.seed);
  const issues = buildIssues(options.issues);
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'soak-'));
  const db = await testSupport.createTestDatabase('soak');
  const prefix = testSupport.uniquePrefix('soak');
  const redis = new Redis(testSupport.REDIS_URL);
  const processes = new SoakProcesses({});
  const reportedOptions = { ...options };
  delete reportedOptions.log;
  let restarting = Promise.resolve();
  let restartError;
  /** @type {SoakReport} */
  const report = {
    options: reportedOptions,
    sweeps: [],
    memory: summarizeMemory([], options),
    restarts: 0,
    warmupSweeps: 0,
    workerPeakRssBytes: undefined,
    violations: [],
  };

  try {
    const simUrl = await startSimulator(processes, issues, directory);
    processes.env = appEnvironment(options, db, prefix, simUrl);
    await importIssues(processes.env, issues, simUrl, directory);

    const longLived = await processes.startWorker({
      NODE_OPTIONS: `--expose-gc --require "${path.join(__dirname, 'heap-probe.js')}"`,
    });
    let restarted = await processes.startWorker();
    const watcher = new SweepWatcher(redis, prefix);
    const guardMs = Math.min(500, options.intervalMs / 6);
    const faultOptions = {
      issueShare: options.faultShare,
      trackerChance: 0.2,
      maxDelayMs: Math.min(1500, options.intervalMs / 6),
    };

    const scheduler = processes.start('scheduler');
    await scheduler.waitForLog(
      (line) => line.message === 'sweep schedule registered',
    );
    const warm = await warmUp(
      watcher,
      redis,
      prefix,
      guardMs,
      options.intervalMs,
    );
    report.warmupSweeps = warm.sweeps;
    let nextAt = warm.nextAt;
    let faults = chooseFaults(random, issues, faultOptions);
    await applyFaults(simUrl, faults);
    let restart = planRestart(random, options.intervalMs);
    let sweepDueAt = nextAt;

    for (let index = 1; index <= options.sweeps; index += 1) {
      if (restartError !== undefined) {
        throw restartError;
      }
      // A restart runs beside the checks and may outlast the sweep; the
      // next one waits for it.
      const plannedRestart = restart;
      const dueAt = sweepDueAt;
      if (plannedRestart !== undefined) {
        restarting = restarting
          .then(() => sleep(dueAt + plannedRestart.afterMs - Date.now()))
          .then(async () => {
            restarted = await processes.restart(
              restarted,
              plannedRestart.signal,
              plannedRestart.downMs,
            );
          })
          .catch((error) => {
            restartError = error;
          });
      }
      const sweep = await watcher.waitForSweep(
        Date.now() + options.intervalMs * 3,
      );
      nextAt = await watcher.nextRunAt();
      if (nextAt === undefined) {
        throw new Error('the sweep schedule is missing from Redis');
      }

      const lastSweep = index === options.sweeps;
      await waitForSnapshot(redis, prefix, nextAt, guardMs, lastSweep);
      const snapshot = await takeSnapshot(db, redis, prefix, sweep, longLived);
      const previousRecord = report.sweeps.at(-1);
      if (
        previousRecord !== undefined &&
        previousRecord.snapshotAt >= sweep.processedOn
      ) {
        previousRecord.lateSnapshot = true;
      }
      const record = {
        index,
        startedAt: new Date(sweep.processedOn).toISOString(),
        durationMs: sweep.finishedOn - sweep.processedOn,
        issues: sweep.result.issues,
        added: sweep.result.added,
        skipped: sweep.result.skipped,
        rerun: sweep.rerun,
        faults: faults.faults.length + (faults.tracker === undefined ? 0 : 1),
        faultPlan: faults,
        restart: plannedRestart,
        ...snapshot,
        lateSnapshot: false,
      };
      report.sweeps.push(record);
      log(describeSweep(record));

      if (!lastSweep) {
        faults = chooseFaults(random, issues, faultOptions);
        await applyFaults(simUrl, faults);
        restart = planRestart(random, options.intervalMs);
        sweepDueAt = nextAt;
      }
    }

    await restarting;
    if (restartError !== undefined) {
      throw restartError;
    }
    report.memory = summarizeMemory(report.sweeps, options);
    report.restarts = processes.restarts;
    report.workerPeakRssBytes = readProcessMemory(longLived.pid, 'VmHWM');
    report.violations = findViolations(report, options);
    attachJobLogs(report, processes);

    return report;
  } finally {
    // A restart still under way would start a worker after stopAll.
    await restarting;
    await processes.stopAll();
    await testSupport.deleteKeys(prefix);
    redis.disconnect();
    await db.drop();
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

module.exports = { DEFAULT_OPTIONS, runSoak };
