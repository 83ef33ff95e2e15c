import { createDashboardApp } from './dashboard-app';
import { addIssue, failSyncJobs } from './testing/seed';
import {
  postJson,
  request,
  startTestServer,
  type TestServer,
} from './testing/http-client';
import {
  TEST_CREDENTIALS,
  createTestEnvironment,
  type TestEnvironment,
} from './testing/test-environment';
import { createTestLogger } from './testing/test-logger';

const UNAUTHORIZED = {
  error:
    'Authentication required: sign in with the user name and password set in DASHBOARD_USERNAME and DASHBOARD_PASSWORD',
};

describe('dashboard with credentials', () => {
  let env: TestEnvironment;
  let server: TestServer;
  const logger = createTestLogger();
  let issueId: number;
  let jobId: string;
  let mainScript: string;

  beforeAll(async () => {
    env = await createTestEnvironment({
      DASHBOARD_USERNAME: TEST_CREDENTIALS.username,
      DASHBOARD_PASSWORD: TEST_CREDENTIALS.password,
    });
    server = await startTestServer(
      createDashboardApp({
        config: env.config,
        db: env.db,
        queues: env.queues,
        logger,
      }),
    );
    const issue = await addIssue(env, {
      source: 'JIRA',
      project: 'PROJ',
      key: '7',
    });
    issueId = issue.id;
    const jobs = await failSyncJobs(
      env,
      'JIRA',
      new Map([[issue.id, 'Jira answered 401']]),
      new Date(),
    );
    jobId = jobs.get(issue.id)!;

    const board = await request(`${server.origin}/queues`, {
      auth: TEST_CREDENTIALS,
    });
    mainScript = /src="static\/js\/(main\.[^"]+)"/.exec(board.text)![1]!;
  });

  afterAll(async () => {
    await server.close();
    await env.close();
  });

  it('logs at start-up that a sign-in is required', () => {
    expect(logger.entries[0]).toEqual({
      level: 'info',
      message: 'dashboard requires a sign-in',
      meta: { username: 'operator', basePath: '' },
    });
  });

  describe('without credentials', () => {
    const routes: Array<{ method: string; path: string }> = [
      { method: 'GET', path: '/' },
      { method: 'GET', path: '/?after=never.1' },
      { method: 'GET', path: '/queues' },
      { method: 'GET', path: '/queues/queue/sync-jira' },
      { method: 'GET', path: '/queues/static/js/MAIN_SCRIPT' },
      { method: 'GET', path: '/queues/api/queues' },
      { method: 'GET', path: '/queues/api/redis/stats' },
      { method: 'GET', path: '/queues/api/queues/sync-jira/JOB' },
      { method: 'PUT', path: '/queues/api/queues/sync-jira/retry/failed' },
      { method: 'PUT', path: '/queues/api/queues/sync-jira/JOB/retry' },
      { method: 'GET', path: '/api/issues' },
      { method: 'POST', path: '/api/issues' },
      { method: 'POST', path: '/api/issues/ISSUE/sync' },
      { method: 'GET', path: '/metrics' },
      { method: 'GET', path: '/no-such-page' },
    ];

    it.each(routes)('answers $method $path with 401', async (route) => {
      const path = route.path
        .replace('MAIN_SCRIPT', mainScript)
        .replace('JOB', jobId)
        .replace('ISSUE', String(issueId));
      const response = await request(`${server.origin}${path}`, {
        method: route.method,
      });
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe(
        'Basic realm="issue-sync"',
      );
      expect(response.json()).toEqual(UNAUTHORIZED);
    });

    it.each(['/healthz', '/readyz'])('serves %s', async (path) => {
      const response = await request(`${server.origin}${path}`);
      expect(response.status).toBe(200);
    });
  });

  describe('with wrong credentials', () => {
    it.each([
      [
        'a wrong password',
        { username: 'operator', password: 'wrong-password' },
      ],
      [
        'the password with one more character',
        { username: 'operator', password: 'correct-horse-battery!' },
      ],
      [
        'a wrong user name',
        { username: 'admin', password: 'correct-horse-battery' },
      ],
    ])('answers 401 to %s', async (_case, auth) => {
      const response = await request(`${server.origin}/`, { auth });
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe(
        'Basic realm="issue-sync"',
      );
    });

    it('answers 401 to another scheme', async () => {
      const response = await request(`${server.origin}/`, {
        headers: { authorization: `Bearer ${TEST_CREDENTIALS.password}` },
      });
      expect(response.status).toBe(401);
    });

    it('logs one rejection a minute without the password sent', () => {
      const rejections = logger.entries.filter(
        (entry) => entry.level === 'warn',
      );
      expect(rejections).toHaveLength(1);
      expect(rejections[0]?.message).toBe(
        'dashboard sign-in rejected: wrong user name or password',
      );
      expect(rejections[0]?.meta).toEqual({
        method: 'GET',
        path: '/',
        remoteAddress: '127.0.0.1',
        suppressed: 0,
      });
      expect(JSON.stringify(logger.entries)).not.toContain('wrong-password');
    });
  });

  describe('with the configured credentials', () => {
    it.each([
      '/',
      '/queues',
      '/queues/static/js/MAIN_SCRIPT',
      '/queues/api/queues',
      '/api/issues',
      '/metrics',
    ])('serves GET %s', async (path) => {
      const response = await request(
        `${server.origin}${path.replace('MAIN_SCRIPT', mainScript)}`,
        { auth: TEST_CREDENTIALS },
      );
      expect(response.status).toBe(200);
    });

    it('does not mark the status page read-only', async () => {
      const response = await request(`${server.origin}/`, {
        auth: TEST_CREDENTIALS,
      });
      expect(response.text).not.toContain('id="read-only"');
    });

    it('lets the board retry a failed job', async () => {
      const queues = await request(`${server.origin}/queues/api/queues`, {
        auth: TEST_CREDENTIALS,
      });
      const jira = (
        queues.json().queues as Array<Record<string, unknown>>
      ).find((queue) => queue.name === 'sync-jira');
      expect(jira?.readOnlyMode).toBe(false);
      expect(jira?.allowRetries).toBe(true);

      const response = await request(
        `${server.origin}/queues/api/queues/sync-jira/${jobId}/retry`,
        { method: 'PUT', auth: TEST_CREDENTIALS },
      );
      expect(response.status).toBe(204);
      const job = await env.queues.sync.JIRA.getJob(jobId);
      expect(await job?.getState()).toBe('waiting');
    });

    it('rejects a write marked cross-site', async () => {
      const response = await postJson(
        `${server.origin}/api/issues`,
        { url: 'https://github.com/owner/repo/issues/1' },
        {
          auth: TEST_CREDENTIALS,
          headers: { 'sec-fetch-site': 'cross-site' },
        },
      );
      expect(response.status).toBe(403);
      expect(response.json()).toEqual({
        error:
          'Cross-site request rejected: change the dashboard from its own pages or from a client such as curl',
      });
      expect(await env.db.issue.count()).toBe(1);
    });

    it('accepts a write marked same-origin', async () => {
      const response = await postJson(
        `${server.origin}/api/issues`,
        { url: 'https://github.com/owner/repo/issues/1' },
        {
          auth: TEST_CREDENTIALS,
          headers: { 'sec-fetch-site': 'same-origin' },
        },
      );
      expect(response.status).toBe(201);
    });
  });
});
