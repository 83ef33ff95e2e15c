import type { Express } from 'express';
import { upsertSweepSchedule } from '@issue-sync/queue';
import { createDashboardApp } from './dashboard-app';
import { elementById, textOf } from './testing/html-reading';
import {
  postJson,
  request,
  startTestServer,
  type TestServer,
} from './testing/http-client';
import { addIssue, failSyncJobs } from './testing/seed';
import {
  createTestEnvironment,
  type TestEnvironment,
} from './testing/test-environment';
import { createTestLogger } from './testing/test-logger';

const BOARD_READ_ONLY =
  'The job board is read-only: set DASHBOARD_USERNAME and DASHBOARD_PASSWORD and restart the dashboard to retry, clean or remove jobs';
const API_READ_ONLY =
  'The dashboard is read-only: set DASHBOARD_USERNAME and DASHBOARD_PASSWORD and restart it to allow changes';

describe('dashboard without credentials', () => {
  let env: TestEnvironment;
  let server: TestServer;
  let app: Express;
  const logger = createTestLogger();
  let issueId: number;
  let jobId: string;

  beforeAll(async () => {
    env = await createTestEnvironment();
    app = createDashboardApp({
      config: env.config,
      db: env.db,
      queues: env.queues,
      logger,
    });
    server = await startTestServer(app);

    const issue = await addIssue(env, {
      source: 'JIRA',
      project: 'PROJ',
      key: '1',
    });
    issueId = issue.id;
    const jobs = await failSyncJobs(
      env,
      'JIRA',
      new Map([[issue.id, 'Jira answered 401']]),
      new Date(),
    );
    jobId = jobs.get(issue.id)!;
    await upsertSweepSchedule(env.queues.sweep, 900_000);
  });

  afterAll(async () => {
    await server.close();
    await env.close();
  });

  it('logs at start-up that it is read-only', () => {
    const warning = logger.entries.find((entry) => entry.level === 'warn');
    expect(warning?.message).toBe(
      'dashboard is read-only because DASHBOARD_USERNAME and DASHBOARD_PASSWORD are not set: anyone who reaches it can read it, and nothing can be retried, removed or added',
    );
  });

  it.each(['/', '/queues', '/queues/api/queues', '/api/issues', '/metrics'])(
    'serves GET %s without a sign-in',
    async (path) => {
      const response = await request(`${server.origin}${path}`);
      expect(response.status).toBe(200);
    },
  );

  it('shows the read-only notice on the status page', async () => {
    const response = await request(`${server.origin}/`);
    expect(textOf(elementById(response.text, 'read-only'))).toBe(
      'Read-only: jobs cannot be retried or removed and issues cannot be added, because DASHBOARD_USERNAME and DASHBOARD_PASSWORD are not set.',
    );
  });

  it('marks every queue of the board read-only without retries', async () => {
    const response = await request(`${server.origin}/queues/api/queues`);
    const queues = response.json().queues as Array<Record<string, unknown>>;
    expect(queues.map((queue) => queue.name)).toEqual([
      'sweep',
      'sync-github',
      'sync-jira',
      'sync-launchpad',
    ]);
    for (const queue of queues) {
      expect(queue.readOnlyMode).toBe(true);
      expect(queue.allowRetries).toBe(false);
      expect(queue.allowCompletedRetries).toBe(false);
    }
  });

  describe('board mutations', () => {
    const mutations: Array<[string, string, unknown?]> = [
      ['PUT', '/queues/api/queues/sync-jira/retry/failed'],
      ['PUT', '/queues/api/queues/sync-jira/retry/completed'],
      ['PUT', '/queues/api/queues/sync-jira/clean/failed'],
      ['PUT', '/queues/api/queues/sync-jira/clean/completed'],
      ['PUT', '/queues/api/queues/sync-jira/JOB/retry'],
      ['PUT', '/queues/api/queues/sync-jira/JOB/clean'],
      ['PUT', '/queues/api/queues/sync-jira/JOB/promote'],
      ['PATCH', '/queues/api/queues/sync-jira/JOB/update-data', { issueId: 2 }],
      ['PATCH', '/queues/api/queues/sync-jira/JOB/delay', { delay: 1000 }],
      ['PATCH', '/queues/api/queues/sync-jira/JOB/priority', { priority: 1 }],
      ['PUT', '/queues/api/queues/sync-jira/JOB/remove-unprocessed-children'],
      ['POST', '/queues/api/queues/sync-jira/add', { name: 'sync', data: {} }],
      ['PUT', '/queues/api/queues/pause'],
      ['PUT', '/queues/api/queues/resume'],
      ['PUT', '/queues/api/queues/sync-jira/pause'],
      ['PUT', '/queues/api/queues/sync-jira/resume'],
      ['PUT', '/queues/api/queues/sync-jira/promote'],
      ['PUT', '/queues/api/queues/sync-jira/empty'],
      ['PUT', '/queues/api/queues/sync-jira/obliterate', { force: true }],
      ['PUT', '/queues/api/queues/sync-jira/concurrency', { concurrency: 1 }],
      [
        'PUT',
        '/queues/api/queues/sync-jira/rate-limit',
        { max: 1, duration: 1 },
      ],
      ['PUT', '/queues/api/queues/sync-jira/rate-limit/release'],
      [
        'PUT',
        '/queues/api/queues/sweep/job-schedulers/sweep-every-interval/remove',
      ],
      [
        'PUT',
        '/queues/api/queues/sweep/job-schedulers/sweep-every-interval/run',
      ],
      [
        'PATCH',
        '/queues/api/queues/sweep/job-schedulers/sweep-every-interval',
        { every: 1000 },
      ],
      ['DELETE', '/queues/api/queues/sync-jira/JOB'],
    ];

    // Objects, not rows of different lengths: jest takes a callback with
    // more parameters than its row has values for a done-callback test.
    it.each(mutations.map(([method, path, body]) => ({ method, path, body })))(
      'rejects $method $path with 403',
      async ({ method, path, body }) => {
        const response = await postJson(
          `${server.origin}${path.replace('JOB', jobId)}`,
          body ?? {},
          { method },
        );
        expect(response.status).toBe(403);
        expect(response.json()).toEqual({ error: BOARD_READ_ONLY });
      },
    );

    it('leaves the queues as they were', async () => {
      const jira = env.queues.sync.JIRA;
      const job = await jira.getJob(jobId);
      expect(await job?.getState()).toBe('failed');
      expect(job?.data).toEqual({ issueId });
      expect(await jira.getJobCounts('failed', 'waiting')).toEqual({
        failed: 1,
        waiting: 0,
      });
      expect(await jira.isPaused()).toBe(false);
      expect(await env.queues.sweep.isPaused()).toBe(false);
      const scheduler = await env.queues.sweep.getJobScheduler(
        'sweep-every-interval',
      );
      expect(scheduler?.every).toBe(900_000);
    });
  });

  describe('issues API writes', () => {
    it('rejects registering an issue with 403', async () => {
      const response = await postJson(`${server.origin}/api/issues`, {
        url: 'https://github.com/owner/repo/issues/1',
      });
      expect(response.status).toBe(403);
      expect(response.json()).toEqual({ error: API_READ_ONLY });
      expect(await env.db.issue.count()).toBe(1);
    });

    it('rejects a sync request with 403', async () => {
      const response = await request(
        `${server.origin}/api/issues/${issueId}/sync`,
        { method: 'POST' },
      );
      expect(response.status).toBe(403);
      expect(response.json()).toEqual({ error: API_READ_ONLY });
      expect(await env.queues.sync.JIRA.getJobCounts('waiting')).toEqual({
        waiting: 0,
      });
    });
  });
});
