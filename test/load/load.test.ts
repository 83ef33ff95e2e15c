import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import {
  AppProcess,
  REDIS_URL,
  countKeys,
  createTestDatabase,
  deleteKeys,
  runCli,
  uniquePrefix,
  type TestDatabase,
} from '@issue-sync/test-support';
import {
  buildLoadPlan,
  expectedError,
  issueUrl,
  referenceOf,
  type LoadPlan,
  type SimulatorUrls,
} from './load-issues';

const GITHUB_TOKEN = 'ghp_loadCanaryToken0001';
const JIRA_USERNAME = 'load@example.com';
const JIRA_TOKEN = 'jira-load-canary-0002';
const WORKERS = 4;
const POOL_SIZE = 8;
const RETRY_ATTEMPTS = 2;
const MEBIBYTE = 1024 * 1024;
const SAMPLE_INTERVAL_MS = 1_000;

/**
 * PostgreSQL connections to the test database: each worker's pool, the
 * CLI's pool of 3 (CommandContext) and the one connection of a sample.
 */
const MAX_CONNECTIONS = WORKERS * POOL_SIZE + 3 + 1;
/**
 * Growth of Redis used_memory over its value before the sweep. The sweep
 * adds about 100,000 jobs faster than the workers finish them, so most of
 * them wait in Redis at the peak. Two runs measured 62 and 67 MiB. Other
 * test runs share this Redis, which adds noise.
 */
const MAX_REDIS_GROWTH_BYTES = 128 * MEBIBYTE;
/** Keys left under the prefix: one per kept failed job, plus queue metadata. */
const MAX_KEYS_AFTER_PER_FAILURE = 1;
const MAX_QUEUE_METADATA_KEYS = 40;

interface Samples {
  redisUsedMemory: number[];
  connections: number[];
}

interface CountRow {
  source: string;
  sync_status: string;
  count: string;
}

/**
 * Reads the CPU time a process has used, in seconds, from /proc/PID/stat
 * (utime plus stime, in clock ticks of 1/100 s on Linux x86 and arm64).
 */
function readCpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may contain spaces, start at 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');

  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function readUsedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const match = /^used_memory:(\d+)\r?$/m.exec(info);
  if (match === null) {
    throw new Error('INFO memory has no used_memory line');
  }

  return Number(match[1]);
}

async function countConnections(db: TestDatabase): Promise<number> {
  const rows = await db.query<{ count: string }>(
    'SELECT count(*) FROM pg_stat_activity WHERE datname = $1',
    [db.name],
  );

  return Number(rows[0]!.count);
}

/** Samples Redis memory and database connections until `stop` is called. */
function startSampling(
  db: TestDatabase,
  redis: Redis,
): { samples: Samples; stop: () => Promise<void> } {
  const samples: Samples = { redisUsedMemory: [], connections: [] };
  let running = true;
  const loop = (async () => {
    while (running) {
      samples.redisUsedMemory.push(await readUsedMemory(redis));
      samples.connections.push(await countConnections(db));
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_INTERVAL_MS));
    }
  })();

  return {
    samples,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

function writeDataFile(plan: LoadPlan, directory: string): string {
  const file = path.join(directory, 'sim-data.json');
  fs.writeFileSync(file, JSON.stringify({ issues: plan.served }));

  return file;
}

function writeImportFile(
  plan: LoadPlan,
  directory: string,
  jiraBaseUrl: string,
): string {
  const file = path.join(directory, 'issues.txt');
  const urls = [...plan.served, ...plan.missing].map((issue) =>
    issueUrl(issue, jiraBaseUrl),
  );
  fs.writeFileSync(file, `${urls.join('\n')}\n`);

  return file;
}

function expectedCounts(plan: LoadPlan): CountRow[] {
  const counts = new Map<string, number>();
  for (const issue of [...plan.served, ...plan.missing]) {
    const status = plan.failures.has(referenceOf(issue))
      ? 'SYNC_FAILED'
      : 'SYNCED';
    const key = `${issue.source.toUpperCase()} ${status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }

  return sortCounts(
    [...counts.entries()].map(([key, count]) => {
      const [source, syncStatus] = key.split(' ');
      return {
        source: source!,
        sync_status: syncStatus!,
        count: String(count),
      };
    }),
  );
}

function sortCounts(rows: CountRow[]): CountRow[] {
  const order = (row: CountRow): string => `${row.source} ${row.sync_status}`;

  return [...rows].sort((a, b) => (order(a) < order(b) ? -1 : 1));
}

describe('one sweep of 100,000 issues', () => {
  const plan = buildLoadPlan();
  const prefix = uniquePrefix('load');
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'load-'));
  const processes: AppProcess[] = [];
  let db: TestDatabase;
  let redis: Redis;
  let urls: SimulatorUrls;
  let samples: Samples;
  let redisBefore: number;
  let sync: Awaited<ReturnType<typeof runCli>>;
  const durationsMs: Record<string, number> = {};
  const cpuSeconds: Record<string, number> = {};

  beforeAll(async () => {
    db = await createTestDatabase('load');
    redis = new Redis(REDIS_URL);
    const sim = new AppProcess('tracker-sim', {}, [
      '--port',
      '0',
      '--github-token',
      GITHUB_TOKEN,
      '--jira-username',
      JIRA_USERNAME,
      '--jira-token',
      JIRA_TOKEN,
      '--github-points-per-hour',
      '1000000',
      '--data',
      writeDataFile(plan, directory),
    ]);
    processes.push(sim);
    const listening = await sim.waitForLog(
      (line) => line.message === 'tracker-sim listening',
    );
    const simUrl = String(listening.url);
    urls = {
      githubApiUrl: `${simUrl}/github`,
      jiraBaseUrl: `${simUrl}/jira`,
      launchpadApiUrl: `${simUrl}/launchpad/devel`,
    };
    const importFile = writeImportFile(plan, directory, urls.jiraBaseUrl);
    const env = {
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      GITHUB_API_URL: urls.githubApiUrl,
      JIRA_BASE_URL: urls.jiraBaseUrl,
      LAUNCHPAD_API_URL: urls.launchpadApiUrl,
      GITHUB_TOKEN,
      JIRA_USERNAME,
      JIRA_TOKEN,
      SYNC_INTERVAL: '1h',
      SYNC_RETRY_ATTEMPTS: String(RETRY_ATTEMPTS),
      SYNC_RETRY_BACKOFF_MS: '200',
      WORKER_HEALTH_PORT: '0',
      LOG_LEVEL: 'warn',
    };

    let startedAt = Date.now();
    const imported = await runCli(env, ['import', importFile], 600_000);
    durationsMs.import = Date.now() - startedAt;
    expect(imported.stdout).toBe(
      `imported ${plan.served.length + plan.missing.length} lines: ${plan.served.length + plan.missing.length} new, 0 already registered, 0 invalid\n`,
    );

    for (let index = 0; index < WORKERS; index += 1) {
      processes.push(new AppProcess('worker', { ...env, LOG_LEVEL: 'info' }));
    }
    await Promise.all(
      processes
        .slice(1)
        .map((worker) =>
          worker.waitForLog((line) => line.message === 'worker started'),
        ),
    );

    redisBefore = await readUsedMemory(redis);
    const sampling = startSampling(db, redis);
    startedAt = Date.now();
    sync = await runCli(env, ['sync', '--all', '--wait'], 600_000);
    durationsMs.sync = Date.now() - startedAt;
    await sampling.stop();
    samples = sampling.samples;
    cpuSeconds.simulator = readCpuSeconds(processes[0]!.pid);
    cpuSeconds.workers = processes
      .slice(1)
      .reduce((sum, worker) => sum + readCpuSeconds(worker.pid), 0);
  }, 900_000);

  afterAll(async () => {
    await Promise.all(processes.map((child) => child.stop()));
    await deleteKeys(prefix);
    redis?.disconnect();
    await db?.drop();
    fs.rmSync(directory, { recursive: true, force: true });
    console.info(
      JSON.stringify({
        durationsMs,
        cpuSeconds,
        redisBeforeMiB: (redisBefore ?? 0) / MEBIBYTE,
        redisPeakMiB: Math.max(...(samples?.redisUsedMemory ?? [0])) / MEBIBYTE,
        maxConnections: Math.max(...(samples?.connections ?? [0])),
        samples: samples?.connections.length,
      }),
    );
  });

  it('sweeps every issue once', () => {
    const total = plan.served.length + plan.missing.length;
    const failed = plan.failures.size;

    expect(sync.code).toBe(1);
    expect(sync.stdout).toContain(
      `sweep read ${total} issues: ${total} jobs added, 0 already pending`,
    );
    expect(sync.stdout).toContain(
      `done: ${total - failed} synced, ${failed} failed`,
    );
  });

  it('ends every issue synced or with its expected failure', async () => {
    const counts = await db.query<CountRow>(
      'SELECT source, sync_status, count(*) FROM issue GROUP BY source, sync_status',
    );
    expect(sortCounts(counts)).toEqual(expectedCounts(plan));

    const wrongTitles = await db.query<{ count: string }>(
      "SELECT count(*) FROM issue WHERE sync_status = 'SYNCED' AND title <> 'load ' || key",
    );
    expect(wrongTitles).toEqual([{ count: '0' }]);

    const failures = await db.query<{
      source: string;
      project: string;
      key: string;
      sync_error: string;
    }>(
      "SELECT source, project, key, sync_error FROM issue WHERE sync_status = 'SYNC_FAILED'",
    );
    const failedAsExpected = failures.filter((row) => {
      const kind = plan.failures.get(referenceOf(row));
      if (kind === undefined) {
        return false;
      }
      const expected = expectedError(
        kind,
        { ...row, source: row.source.toLowerCase() },
        urls,
        RETRY_ATTEMPTS,
      );
      return typeof expected === 'string'
        ? row.sync_error === expected
        : expected.test(row.sync_error);
    });
    const unexpected = failures.filter(
      (row) => !failedAsExpected.includes(row),
    );
    expect(unexpected.slice(0, 5)).toEqual([]);
    expect(failedAsExpected).toHaveLength(plan.failures.size);
  });

  it('keeps PostgreSQL connections within the pools', () => {
    expect(samples.connections.length).toBeGreaterThan(0);
    expect(Math.max(...samples.connections)).toBeLessThanOrEqual(
      MAX_CONNECTIONS,
    );
  });

  it('keeps Redis memory bounded', async () => {
    const peak = Math.max(...samples.redisUsedMemory);

    expect(samples.redisUsedMemory.length).toBeGreaterThan(0);
    expect(peak - redisBefore).toBeLessThanOrEqual(MAX_REDIS_GROWTH_BYTES);
    expect(await countKeys(prefix)).toBeLessThanOrEqual(
      plan.failures.size * MAX_KEYS_AFTER_PER_FAILURE + MAX_QUEUE_METADATA_KEYS,
    );
  });
});
