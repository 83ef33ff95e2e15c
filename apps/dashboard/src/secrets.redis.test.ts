import { recordSyncFailure } from '@issue-sync/db';
import { SYNC_JOB } from '@issue-sync/queue';
import { createDashboardApp } from './dashboard-app';
import {
  postJson,
  request,
  startTestServer,
  type TestResponse,
  type TestServer,
} from './testing/http-client';
import { addIssue, addSyncedIssue, failSyncJobs } from './testing/seed';
import {
  POSTGRES_SERVER_URL,
  createTestEnvironment,
  type TestEnvironment,
} from './testing/test-environment';
import { createTestLogger } from './testing/test-logger';

const CANARIES = {
  githubToken: 'ghp_CanaryGithubToken0000000000000001',
  jiraToken: 'CanaryJiraToken0002',
  dashboardPassword: 'Canary/Dashboard+Password0003',
  databasePassword: 'CanaryDatabasePassword0004',
  redisPassword: 'CanaryRedisPassword0005',
};

const USERNAME = 'operator';

/** Every spelling in which a canary could leak into a response. */
function leakForms(): string[] {
  const secrets = Object.values(CANARIES);

  return [
    ...secrets,
    ...secrets.map(encodeURIComponent),
    ...secrets.map((secret) => JSON.stringify(secret).slice(1, -1)),
    Buffer.from(`${USERNAME}:${CANARIES.dashboardPassword}`).toString('base64'),
  ];
}

function expectNoCanary(label: string, response: TestResponse): void {
  const text = `${JSON.stringify(response.headers)}\n${response.text}`;
  for (const form of leakForms()) {
    expect({ label, leaked: text.includes(form) ? form : null }).toEqual({
      label,
      leaked: null,
    });
  }
}

describe('secrets in dashboard answers', () => {
  let env: TestEnvironment;
  let server: TestServer;
  const auth = { username: USERNAME, password: CANARIES.dashboardPassword };
  let failingIssueId: number;
  let jiraJobId: string;
  let launchpadJobId: string;

  beforeAll(async () => {
    env = await createTestEnvironment({
      GITHUB_TOKEN: CANARIES.githubToken,
      JIRA_USERNAME: 'canary-user@example.com',
      JIRA_TOKEN: CANARIES.jiraToken,
      DASHBOARD_USERNAME: USERNAME,
      DASHBOARD_PASSWORD: CANARIES.dashboardPassword,
    });
    const databaseUrl = env.config.databaseUrl.replace(
      POSTGRES_SERVER_URL,
      `postgresql://postgres:${CANARIES.databasePassword}@127.0.0.1:5432`,
    );
    const config = env.configWith({
      DATABASE_URL: databaseUrl,
      REDIS_URL: `redis://:${CANARIES.redisPassword}@127.0.0.1:6379`,
      GITHUB_TOKEN: CANARIES.githubToken,
      JIRA_USERNAME: 'canary-user@example.com',
      JIRA_TOKEN: CANARIES.jiraToken,
      DASHBOARD_USERNAME: USERNAME,
      DASHBOARD_PASSWORD: CANARIES.dashboardPassword,
    });
    server = await startTestServer(
      createDashboardApp({
        config,
        db: env.db,
        queues: env.queues,
        logger: createTestLogger(),
      }),
    );

    // Values that a careless worker could have stored. The dashboard must
    // still not show them.
    failingIssueId = (
      await addIssue(env, { source: 'GITHUB', project: 'owner/repo', key: '1' })
    ).id;
    await recordSyncFailure(
      env.db,
      failingIssueId,
      `401 Bad credentials for token ${CANARIES.githubToken}`,
      new Date(),
    );
    await addSyncedIssue(
      env,
      { source: 'GITHUB', project: 'owner/repo', key: '2' },
      new Date(),
      { title: `Title with ${CANARIES.redisPassword}` },
    );
    const jira = await addIssue(env, {
      source: 'JIRA',
      project: 'PROJ',
      key: '3',
    });
    const jobs = await failSyncJobs(
      env,
      'JIRA',
      new Map([
        [
          jira.id,
          `Jira rejected ${encodeURIComponent(CANARIES.jiraToken)} and ${CANARIES.dashboardPassword}`,
        ],
      ]),
      new Date(),
    );
    jiraJobId = jobs.get(jira.id)!;
    const launchpad = await env.queues.sync.LAUNCHPAD.add(SYNC_JOB, {
      issueId: 99,
      note: `postgresql://postgres:${CANARIES.databasePassword}@db`,
    } as never);
    launchpadJobId = launchpad.id!;
  });

  afterAll(async () => {
    await server.close();
    await env.close();
  });

  it('leaves none in any page, API answer or metric', async () => {
    const base = server.origin;
    const answers: Array<[string, TestResponse]> = [];
    const get = async (path: string, withAuth = true): Promise<void> => {
      const response = await request(`${base}${path}`, {
        auth: withAuth ? auth : undefined,
      });
      answers.push([`GET ${path}`, response]);
    };

    await get('/');
    await get('/?after=never.0');
    await get('/queues');
    await get('/queues/queue/sync-jira');
    await get(
      '/queues/api/queues?activeQueue=sync-jira&status=failed&page=1&jobsPerPage=50',
    );
    await get(
      '/queues/api/queues?activeQueue=sync-launchpad&status=waiting&page=1&jobsPerPage=50',
    );
    await get(`/queues/api/queues/sync-jira/${jiraJobId}`);
    await get(`/queues/api/queues/sync-jira/${jiraJobId}/logs`);
    await get(`/queues/api/queues/sync-launchpad/${launchpadJobId}`);
    await get('/queues/api/redis/stats');
    await get('/queues/api/job-schedulers');
    await get('/api/issues');
    await get('/metrics');
    await get('/healthz', false);
    await get('/readyz', false);
    await get('/', false);
    await get('/missing');
    answers.push([
      'POST /api/issues',
      await postJson(
        `${base}/api/issues`,
        { url: 'https://github.com/owner/repo/issues/7' },
        { auth },
      ),
    ]);
    answers.push([
      'POST /api/issues/:id/sync',
      await request(`${base}/api/issues/${failingIssueId}/sync`, {
        method: 'POST',
        auth,
      }),
    ]);

    for (const [label, response] of answers) {
      expect({ label, status: response.status < 500 }).toEqual({
        label,
        status: true,
      });
      expectNoCanary(label, response);
    }
  });

  it('shows the scrubbed sync error on the status page', async () => {
    const page = (await request(`${server.origin}/`, { auth })).text;
    expect(page).toContain('401 Bad credentials for token ***');
  });

  it('scrubs the failed job reason on the board', async () => {
    const response = await request(
      `${server.origin}/queues/api/queues/sync-jira/${jiraJobId}`,
      { auth },
    );
    expect(response.json().job.failedReason).toBe('Jira rejected *** and ***');
  });

  it('scrubs job data on the board', async () => {
    const response = await request(
      `${server.origin}/queues/api/queues/sync-launchpad/${launchpadJobId}`,
      { auth },
    );
    expect(response.json().job.data).toEqual({
      issueId: 99,
      note: 'postgresql://postgres:***@db',
    });
  });

  it('scrubs values in the issues API', async () => {
    const response = await request(`${server.origin}/api/issues`, { auth });
    const issues = response.json().issues as Array<Record<string, unknown>>;
    expect(issues.map((issue) => [issue.sync_error, issue.title])).toEqual([
      ['401 Bad credentials for token ***', ''],
      [null, 'Title with ***'],
      ['Jira rejected *** and ***', ''],
      [null, ''],
    ]);
  });
});
