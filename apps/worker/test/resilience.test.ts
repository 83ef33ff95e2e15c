import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  startSimulator,
  type SimIssue,
  type Simulator,
} from '@issue-sync/tracker-sim';
import {
  AppProcess,
  PostgresProxy,
  REDIS_URL,
  createTestDatabase,
  deleteKeys,
  runCli,
  uniquePrefix,
  type TestDatabase,
} from '@issue-sync/test-support';
import { appEnvironment } from './environment';
import { waitUntil } from './wait';

function launchpadBugs(count: number, first = 200000): SimIssue[] {
  return Array.from({ length: count }, (_, i) => ({
    source: 'launchpad' as const,
    project: 'ubuntu',
    key: String(first + i),
    title: `Bug ${first + i}`,
    status: 'Triaged',
    target: 'ubuntu',
    labels: [],
  }));
}

async function registerAll(
  env: Record<string, string>,
  issues: SimIssue[],
): Promise<void> {
  const urls = issues.map(
    (issue) => `https://bugs.launchpad.net/${issue.project}/+bug/${issue.key}`,
  );
  for (let i = 0; i < urls.length; i += 200) {
    const result = await runCli(env, ['add', ...urls.slice(i, i + 200)]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  }
}

async function countBy(db: TestDatabase, where: string): Promise<number> {
  const rows = await db.query<{ count: string }>(
    `SELECT count(*) FROM issue WHERE ${where}`,
  );
  return Number(rows[0]!.count);
}

describe('resilience', () => {
  let db: TestDatabase;
  let sim: Simulator;
  const processes: AppProcess[] = [];

  const start = (
    app: 'worker' | 'scheduler',
    env: Record<string, string>,
  ): AppProcess => {
    const child = new AppProcess(app, env);
    processes.push(child);
    return child;
  };

  beforeEach(async () => {
    db = await createTestDatabase('resilience');
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((child) => child.stop()));
    await sim?.close();
    await db.drop();
  });

  it('hands a killed worker its jobs to another', async () => {
    const issues = launchpadBugs(400);
    sim = await startSimulator({ issues, latencyMs: 40 });
    const env = appEnvironment(db.url, uniquePrefix('kill'), sim, {
      WORKER_CONCURRENCY: '4',
      WORKER_LOCK_DURATION_MS: '2000',
    });
    await registerAll(env, issues);
    const first = start('worker', env);
    const second = start('worker', env);
    await first.waitForLog((line) => line.message === 'worker started');
    await second.waitForLog((line) => line.message === 'worker started');

    const queued = await runCli(env, ['sync', '--all']);
    expect(queued.code).toBe(0);
    await waitUntil('a quarter of the issues to sync', async () =>
      (await countBy(db, "sync_status = 'SYNCED'")) >= 100 ? true : undefined,
    );
    first.kill('SIGKILL');
    expect(await first.exited).toBeNull();

    await waitUntil(
      'every issue to sync',
      async () =>
        (await countBy(db, "sync_status <> 'SYNCED'")) === 0 ? true : undefined,
      90_000,
    );
    expect(await countBy(db, "sync_status = 'SYNCED'")).toBe(400);
    expect(await countBy(db, "sync_status = 'NEVER_SYNCED'")).toBe(0);
  });

  it('syncs once PostgreSQL answers again', async () => {
    const issues = launchpadBugs(300);
    sim = await startSimulator({ issues, latencyMs: 20 });
    const proxy = new PostgresProxy();
    await proxy.start();
    try {
      const env = appEnvironment(db.url, uniquePrefix('pg'), sim, {
        WORKER_CONCURRENCY: '4',
      });
      await registerAll(env, issues);
      const worker = start('worker', {
        ...env,
        DATABASE_URL: proxy.url(db.name),
      });
      await worker.waitForLog((line) => line.message === 'worker started');

      expect((await runCli(env, ['sync', '--all'])).code).toBe(0);
      await waitUntil('some issues to sync', async () =>
        (await countBy(db, "sync_status = 'SYNCED'")) >= 30 ? true : undefined,
      );
      proxy.cut();
      await worker.waitForLog(
        (line) => line.message === 'database unavailable; sync job postponed',
      );
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const syncedDuringOutage = await countBy(db, "sync_status = 'SYNCED'");
      expect(syncedDuringOutage).toBeLessThan(300);
      proxy.restore();

      await waitUntil(
        'every issue to sync after the outage',
        async () =>
          (await countBy(db, "sync_status <> 'SYNCED'")) === 0
            ? true
            : undefined,
        120_000,
      );
      expect(await countBy(db, "sync_status = 'SYNCED'")).toBe(300);
      expect(worker.logs.filter((line) => line.level === 'error')).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('restores the schedule after Redis loses it', async () => {
    const issues = launchpadBugs(5);
    sim = await startSimulator({ issues });
    const prefix = uniquePrefix('flush');
    const env = appEnvironment(db.url, prefix, sim, {
      SYNC_INTERVAL: '2s',
      SCHEDULER_REFRESH_MS: '1000',
    });
    await registerAll(env, issues);
    const worker = start('worker', env);
    const scheduler = start('scheduler', env);
    await scheduler.waitForLog(
      (line) => line.message === 'sweep schedule registered',
    );
    await worker.waitForLog((line) => line.message === 'sweep finished');

    const deleted = await deleteKeys(prefix);
    expect(deleted).toBeGreaterThan(0);
    const lostAt = Date.now();

    await waitUntil('the schedule to be registered again', () =>
      scheduler.logs.filter(
        (line) => line.message === 'sweep schedule registered',
      ).length === 2
        ? true
        : undefined,
    );
    const sweepAfter = await waitUntil(
      'a sweep after the loss',
      () =>
        worker.logs.find(
          (line) =>
            line.message === 'sweep finished' &&
            Date.parse(String(line.timestamp)) > lostAt,
        ),
      30_000,
    );
    expect(sweepAfter.issues).toBe(5);
  });

  it('runs one sweep per interval with two schedulers', async () => {
    const issues = launchpadBugs(60);
    sim = await startSimulator({ issues, latencyMs: 400 });
    const prefix = uniquePrefix('two');
    const env = appEnvironment(db.url, prefix, sim, {
      SYNC_INTERVAL: '2s',
      SCHEDULER_REFRESH_MS: '1000',
      WORKER_CONCURRENCY: '2',
    });
    await registerAll(env, issues);
    start('scheduler', env);
    start('scheduler', env);
    const worker = start('worker', env);
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const launchpad = new Queue('sync-launchpad', { connection, prefix });
    const sweep = new Queue('sweep', { connection, prefix });
    try {
      let mostPending = 0;
      const deadline = Date.now() + 9_000;
      while (Date.now() < deadline) {
        const counts = await launchpad.getJobCounts(
          'waiting',
          'active',
          'delayed',
          'prioritized',
        );
        mostPending = Math.max(
          mostPending,
          Object.values(counts).reduce((a, b) => a + b, 0),
        );
        await new Promise((resolve) => setTimeout(resolve, 100));
      }

      // 60 bugs at two at a time and 400 ms a request take about 24 s, so
      // later sweeps run while the first one's jobs are still pending.
      expect(mostPending).toBe(60);
      expect(await sweep.getJobSchedulersCount()).toBe(1);
      const finished = worker.logs.filter(
        (line) => line.message === 'sweep finished',
      );
      expect(finished.length).toBeGreaterThanOrEqual(3);
      expect(finished[0]!.added).toBe(60);
      // A later sweep adds jobs only for bugs whose job already finished.
      for (const later of finished.slice(1)) {
        expect(Number(later.added) + Number(later.skipped)).toBe(60);
        expect(later.skipped).toBeGreaterThan(40);
      }
      const started = worker.logs.filter(
        (line) => line.message === 'sweep started',
      );
      const times = started.map((line) =>
        Number(String(line.jobId).split(':').pop()),
      );
      for (let i = 1; i < times.length; i += 1) {
        expect(times[i]! - times[i - 1]!).toBe(2_000);
      }
    } finally {
      await launchpad.close();
      await sweep.close();
      connection.disconnect();
    }
  });

  it('finishes running jobs on SIGTERM', async () => {
    const issues = launchpadBugs(3);
    sim = await startSimulator({ issues, latencyMs: 1_500 });
    const env = appEnvironment(db.url, uniquePrefix('term'), sim, {
      SHUTDOWN_GRACE_MS: '20000',
    });
    await registerAll(env, issues);
    const worker = start('worker', env);
    await worker.waitForLog((line) => line.message === 'worker started');
    expect((await runCli(env, ['sync', '--all'])).code).toBe(0);
    await waitUntil('requests to reach the simulator', () =>
      sim.stats().launchpad.requests >= 3 ? true : undefined,
    );

    worker.kill('SIGTERM');

    expect(await worker.exited).toBe(0);
    expect(await countBy(db, "sync_status = 'SYNCED'")).toBe(3);
    expect(
      worker.logs.some((line) => line.message === 'shut down cleanly'),
    ).toBe(true);
  });

  it('skips a job whose issue was deleted', async () => {
    const issues = launchpadBugs(1);
    sim = await startSimulator({ issues });
    const prefix = uniquePrefix('gone');
    const env = appEnvironment(db.url, prefix, sim);
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const launchpad = new Queue('sync-launchpad', { connection, prefix });
    try {
      const job = await launchpad.add('sync', { issueId: 424242 });
      const worker = start('worker', env);
      const line = await worker.waitForLog(
        (entry) => entry.message === 'issue no longer exists; sync job skipped',
      );
      expect(line.issueId).toBe(424242);
      const state = await waitUntil('the job to complete', async () => {
        const current = await launchpad.getJob(job.id!);
        return (await current?.getState()) === 'completed'
          ? current
          : undefined;
      });
      expect(state.returnvalue).toEqual({ outcome: 'missing' });
      expect(sim.stats().launchpad.requests).toBe(0);
    } finally {
      await launchpad.close();
      connection.disconnect();
    }
  });
});
