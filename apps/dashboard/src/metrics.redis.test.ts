import { SWEEP_SCHEDULER_ID, upsertSweepSchedule } from '@issue-sync/queue';
import { createDashboardApp } from './dashboard-app';
import {
  request,
  startTestServer,
  type TestServer,
} from './testing/http-client';
import {
  addFailedIssue,
  addIssue,
  addSyncedIssue,
  completeSweep,
  failSyncJobs,
} from './testing/seed';
import {
  createTestEnvironment,
  type TestEnvironment,
} from './testing/test-environment';
import { createTestLogger } from './testing/test-logger';
import { closedPort, createUnreachableQueues } from './testing/unreachable';

/** Reads the samples of a metric family as `labels → value`. */
function samplesOf(text: string, name: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (match !== null) {
      samples.set(match[1] ?? '', Number(match[2]));
    }
  }

  return samples;
}

describe('/metrics', () => {
  let env: TestEnvironment;
  let cached: TestServer;
  let uncached: TestServer;
  let sweepFinishedOn: number;
  let nextSweep: number;

  beforeAll(async () => {
    env = await createTestEnvironment();
    const deps = {
      config: env.config,
      db: env.db,
      queues: env.queues,
      logger: createTestLogger(),
    };
    cached = await startTestServer(
      createDashboardApp({ ...deps, metricsCacheMs: 60_000 }),
    );
    uncached = await startTestServer(
      createDashboardApp({ ...deps, metricsCacheMs: 0 }),
    );

    const at = new Date('2026-12-03T10:00:00.000Z');
    await addSyncedIssue(
      env,
      { source: 'GITHUB', project: 'a/b', key: '1' },
      at,
    );
    await addSyncedIssue(
      env,
      { source: 'GITHUB', project: 'a/b', key: '2' },
      at,
    );
    await addFailedIssue(
      env,
      { source: 'JIRA', project: 'PROJ', key: '1' },
      'failed',
      at,
    );
    const jira = await addIssue(env, {
      source: 'JIRA',
      project: 'PROJ',
      key: '2',
    });
    await failSyncJobs(env, 'JIRA', new Map([[jira.id, 'failed']]), at);
    await addIssue(env, { source: 'LAUNCHPAD', project: 'ubuntu', key: '3' });
    await env.queues.sync.LAUNCHPAD.add('sync', { issueId: 99 });
    await env.queues.sync.LAUNCHPAD.add(
      'sync',
      { issueId: 98 },
      { delay: 60_000 },
    );

    const sweep = await completeSweep(env, {
      issues: 5,
      added: 5,
      skipped: 0,
      maxIssueId: 5,
    });
    sweepFinishedOn = (await env.queues.sweep.getJob(sweep.id!))!.finishedOn!;
    await upsertSweepSchedule(env.queues.sweep, 900_000);
    nextSweep = (await env.queues.sweep.getJobScheduler(SWEEP_SCHEDULER_ID))!
      .next!;
  });

  afterAll(async () => {
    await cached.close();
    await uncached.close();
    await env.close();
  });

  it('answers in the Prometheus text format', async () => {
    const response = await request(`${cached.origin}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(
      'text/plain; version=0.0.4; charset=utf-8',
    );
    expect(response.text).toContain('# TYPE issue_sync_issues gauge');
    expect(response.text).toContain('# TYPE process_cpu_seconds_total counter');
  });

  it('counts issues by source and sync_status', async () => {
    const samples = samplesOf(
      (await request(`${cached.origin}/metrics`)).text,
      'issue_sync_issues',
    );
    expect(Object.fromEntries(samples)).toEqual({
      '{source="GITHUB",sync_status="NEVER_SYNCED"}': 0,
      '{source="GITHUB",sync_status="SYNCED"}': 2,
      '{source="GITHUB",sync_status="SYNC_FAILED"}': 0,
      '{source="JIRA",sync_status="NEVER_SYNCED"}': 0,
      '{source="JIRA",sync_status="SYNCED"}': 0,
      '{source="JIRA",sync_status="SYNC_FAILED"}': 2,
      '{source="LAUNCHPAD",sync_status="NEVER_SYNCED"}': 1,
      '{source="LAUNCHPAD",sync_status="SYNCED"}': 0,
      '{source="LAUNCHPAD",sync_status="SYNC_FAILED"}': 0,
    });
  });

  it('reports job counts by queue and state', async () => {
    const samples = samplesOf(
      (await request(`${cached.origin}/metrics`)).text,
      'issue_sync_queue_jobs',
    );
    expect(samples.size).toBe(4 * 7);
    expect(samples.get('{queue="sync-jira",state="failed"}')).toBe(1);
    expect(samples.get('{queue="sync-jira",state="waiting"}')).toBe(0);
    expect(samples.get('{queue="sync-launchpad",state="waiting"}')).toBe(1);
    expect(samples.get('{queue="sync-launchpad",state="delayed"}')).toBe(1);
    expect(samples.get('{queue="sync-github",state="active"}')).toBe(0);
    expect(samples.get('{queue="sweep",state="completed"}')).toBe(1);
  });

  it('reports the last and next sweep times in seconds', async () => {
    const text = (await request(`${cached.origin}/metrics`)).text;
    expect(
      samplesOf(text, 'issue_sync_last_sweep_timestamp_seconds').get(''),
    ).toBe(sweepFinishedOn / 1000);
    expect(
      samplesOf(text, 'issue_sync_next_sweep_timestamp_seconds').get(''),
    ).toBe(nextSweep / 1000);
    expect(
      Object.fromEntries(samplesOf(text, 'issue_sync_dashboard_collector_up')),
    ).toEqual({ '{component="postgres"}': 1, '{component="redis"}': 1 });
  });

  it('reuses one reading within the cache period', async () => {
    const query = '{source="LAUNCHPAD",sync_status="NEVER_SYNCED"}';
    const before = samplesOf(
      (await request(`${cached.origin}/metrics`)).text,
      'issue_sync_issues',
    ).get(query);
    await addIssue(env, { source: 'LAUNCHPAD', project: 'ubuntu', key: '4' });

    const fromCache = samplesOf(
      (await request(`${cached.origin}/metrics`)).text,
      'issue_sync_issues',
    ).get(query);
    const fresh = samplesOf(
      (await request(`${uncached.origin}/metrics`)).text,
      'issue_sync_issues',
    ).get(query);
    expect(before).toBe(1);
    expect(fromCache).toBe(1);
    expect(fresh).toBe(2);
  });

  it('reads each component once for concurrent scrapes', async () => {
    const groupBy = jest.spyOn(env.db.issue, 'groupBy');
    try {
      const app = await startTestServer(
        createDashboardApp({
          config: env.config,
          db: env.db,
          queues: env.queues,
          logger: createTestLogger(),
        }),
      );
      try {
        await Promise.all(
          [1, 2, 3, 4, 5].map(() => request(`${app.origin}/metrics`)),
        );
      } finally {
        await app.close();
      }
      expect(groupBy).toHaveBeenCalledTimes(1);
    } finally {
      groupBy.mockRestore();
    }
  });

  describe('when Redis is unreachable', () => {
    it('still counts issues and marks Redis down', async () => {
      const port = await closedPort();
      const unreachable = createUnreachableQueues(env.config, port);
      const logger = createTestLogger();
      const app = await startTestServer(
        createDashboardApp({
          config: env.config,
          db: env.db,
          queues: unreachable,
          logger,
        }),
      );
      try {
        const text = (await request(`${app.origin}/metrics`)).text;
        expect(
          samplesOf(text, 'issue_sync_issues').get(
            '{source="GITHUB",sync_status="SYNCED"}',
          ),
        ).toBe(2);
        expect(samplesOf(text, 'issue_sync_queue_jobs').size).toBe(0);
        expect(
          samplesOf(text, 'issue_sync_last_sweep_timestamp_seconds').get(''),
        ).toBeNaN();
        expect(
          Object.fromEntries(
            samplesOf(text, 'issue_sync_dashboard_collector_up'),
          ),
        ).toEqual({ '{component="postgres"}': 1, '{component="redis"}': 0 });
        expect(logger.entries.map((entry) => entry.message)).toContain(
          'metrics: reading the queues failed',
        );
      } finally {
        await app.close();
        // Queue.close would wait for the connection, so only disconnect.
        unreachable.connection.disconnect();
      }
    });
  });
});
