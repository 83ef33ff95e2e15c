import { SYNC_JOB, syncDeduplicationId } from '@issue-sync/queue';
import { IssueUrlError, parseIssueUrl } from '@issue-sync/tracker-core';
import { createDashboardApp } from './dashboard-app';
import { addFailedIssue, addIssue, addSyncedIssue } from './testing/seed';
import {
  postJson,
  request,
  startTestServer,
  type TestServer,
} from './testing/http-client';
import {
  JIRA_BASE_URL,
  TEST_CREDENTIALS,
  createTestEnvironment,
  type TestEnvironment,
} from './testing/test-environment';
import { createTestLogger } from './testing/test-logger';

const auth = TEST_CREDENTIALS;

function parseError(url: string): string {
  try {
    parseIssueUrl(url, { jiraBaseUrl: JIRA_BASE_URL });
  } catch (error) {
    if (error instanceof IssueUrlError) {
      return error.message;
    }
  }
  throw new Error(`expected ${url} to be rejected`);
}

describe('issues API', () => {
  let env: TestEnvironment;
  let server: TestServer;
  let api: string;
  type IssueName =
    | 'githubOpen'
    | 'githubClosed'
    | 'jiraFailed'
    | 'launchpadNew'
    | 'githubOther';
  const ids = {} as Record<IssueName, number>;
  const syncedAt = new Date('2026-12-01T08:00:00.000Z');
  const failedAt = new Date('2026-12-02T09:30:00.000Z');

  beforeAll(async () => {
    env = await createTestEnvironment({
      DASHBOARD_USERNAME: auth.username,
      DASHBOARD_PASSWORD: auth.password,
    });
    server = await startTestServer(
      createDashboardApp({
        config: env.config,
        db: env.db,
        queues: env.queues,
        logger: createTestLogger(),
      }),
    );
    api = `${server.origin}/api/issues`;

    ids.githubOpen = (
      await addSyncedIssue(
        env,
        { source: 'GITHUB', project: 'owner/repo', key: '1' },
        syncedAt,
        { title: 'Crash on start', status: 'OPEN' },
      )
    ).id;
    ids.githubClosed = (
      await addSyncedIssue(
        env,
        { source: 'GITHUB', project: 'owner/repo', key: '2' },
        syncedAt,
        { status: 'CLOSED' },
      )
    ).id;
    ids.jiraFailed = (
      await addFailedIssue(
        env,
        { source: 'JIRA', project: 'PROJ', key: '12' },
        '401 Unauthorized from Jira at https://example.atlassian.net: check JIRA_USERNAME and JIRA_TOKEN',
        failedAt,
      )
    ).id;
    ids.launchpadNew = (
      await addIssue(env, { source: 'LAUNCHPAD', project: 'ubuntu', key: '99' })
    ).id;
    ids.githubOther = (
      await addIssue(env, { source: 'GITHUB', project: 'other/repo', key: '5' })
    ).id;
  });

  afterAll(async () => {
    await server.close();
    await env.close();
  });

  async function listIds(query: string): Promise<number[]> {
    const response = await request(`${api}${query}`, { auth });
    expect(response.status).toBe(200);
    return (response.json().issues as Array<{ id: number }>).map(
      (issue) => issue.id,
    );
  }

  describe('GET /api/issues', () => {
    it('lists every issue in id order', async () => {
      const response = await request(api, { auth });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe(
        'application/json; charset=utf-8',
      );
      expect(response.json().next_after_id).toBeNull();
      expect(await listIds('')).toEqual([
        ids.githubOpen,
        ids.githubClosed,
        ids.jiraFailed,
        ids.launchpadNew,
        ids.githubOther,
      ]);
    });

    it('sends every field of a row', async () => {
      const response = await request(`${api}?sync_status=SYNC_FAILED`, {
        auth,
      });
      const [issue] = response.json().issues;
      const row = await env.db.issue.findUniqueOrThrow({
        where: { id: ids.jiraFailed },
      });
      expect(issue).toEqual({
        id: ids.jiraFailed,
        source: 'JIRA',
        project: 'PROJ',
        key: '12',
        url: 'https://example.atlassian.net/browse/PROJ-12',
        title: '',
        status: 'UNKNOWN',
        labels: [],
        tracker_status: null,
        sync_status: 'SYNC_FAILED',
        sync_error:
          '401 Unauthorized from Jira at https://example.atlassian.net: check JIRA_USERNAME and JIRA_TOKEN',
        last_synced_at: null,
        last_attempted_at: '2026-12-02T09:30:00.000Z',
        created_at: row.createdAt.toISOString(),
        updated_at: row.updatedAt.toISOString(),
      });
    });

    it.each([
      ['sync_status=SYNCED', ['githubOpen', 'githubClosed']],
      ['sync_status=never_synced', ['launchpadNew', 'githubOther']],
      ['source=GITHUB', ['githubOpen', 'githubClosed', 'githubOther']],
      ['source=launchpad', ['launchpadNew']],
      ['status=CLOSED', ['githubClosed']],
      ['status=UNKNOWN', ['jiraFailed', 'launchpadNew', 'githubOther']],
      ['project=owner%2Frepo', ['githubOpen', 'githubClosed']],
      ['project=PROJ', ['jiraFailed']],
      ['source=GITHUB&status=OPEN&sync_status=SYNCED', ['githubOpen']],
      ['source=JIRA&sync_status=SYNCED', []],
    ] as Array<[string, IssueName[]]>)(
      'filters by %s',
      async (query, names) => {
        expect(await listIds(`?${query}`)).toEqual(
          names.map((name) => ids[name]),
        );
      },
    );

    it('pages with after_id and next_after_id', async () => {
      const first = await request(`${api}?limit=2`, { auth });
      expect(
        first.json().issues.map((issue: { id: number }) => issue.id),
      ).toEqual([ids.githubOpen, ids.githubClosed]);
      expect(first.json().next_after_id).toBe(ids.githubClosed);

      const second = await request(
        `${api}?limit=2&after_id=${ids.githubClosed}`,
        { auth },
      );
      expect(
        second.json().issues.map((issue: { id: number }) => issue.id),
      ).toEqual([ids.jiraFailed, ids.launchpadNew]);
      expect(second.json().next_after_id).toBe(ids.launchpadNew);

      const third = await request(
        `${api}?limit=2&after_id=${ids.launchpadNew}`,
        { auth },
      );
      expect(
        third.json().issues.map((issue: { id: number }) => issue.id),
      ).toEqual([ids.githubOther]);
      expect(third.json().next_after_id).toBeNull();
    });

    it('ends with next_after_id null when the last page is full', async () => {
      const response = await request(
        `${api}?limit=2&after_id=${ids.jiraFailed}`,
        { auth },
      );
      expect(response.json().issues).toHaveLength(2);
      expect(response.json().next_after_id).toBeNull();
    });

    it.each([
      [
        'sync_status=BROKEN',
        'Invalid sync_status "BROKEN": use one of NEVER_SYNCED, SYNCED, SYNC_FAILED',
      ],
      [
        'source=gitlab',
        'Invalid source "gitlab": use one of GITHUB, JIRA, LAUNCHPAD',
      ],
      [
        'status=open%20',
        'Invalid status "open ": use one of UNKNOWN, OPEN, CLOSED',
      ],
      [
        'project=',
        'Invalid project: use a project name of 1 to 200 characters, such as owner/repo, PROJ or launchpad-project',
      ],
      ['limit=0', 'Invalid limit "0": use a whole number from 1 to 500'],
      ['limit=501', 'Invalid limit "501": use a whole number from 1 to 500'],
      ['limit=ten', 'Invalid limit "ten": use a whole number from 1 to 500'],
      ['limit=1.5', 'Invalid limit "1.5": use a whole number from 1 to 500'],
      [
        'after_id=-1',
        'Invalid after_id "-1": use a whole number from 0 to 2147483647',
      ],
      [
        'after_id=2147483648',
        'Invalid after_id "2147483648": use a whole number from 0 to 2147483647',
      ],
      [
        'state=OPEN',
        'Unknown query parameter "state": use sync_status, source, status, project, after_id, limit',
      ],
      [
        'source=GITHUB&source=JIRA',
        'Query parameter source is given more than once or with brackets: give it once, as source=VALUE',
      ],
    ])('answers 400 to %s', async (query, message) => {
      const response = await request(`${api}?${query}`, { auth });
      expect(response.status).toBe(400);
      expect(response.json()).toEqual({ error: message });
    });
  });

  describe('POST /api/issues', () => {
    it('registers a GitHub issue and answers 201 with the row', async () => {
      const response = await postJson(
        api,
        { url: 'https://github.com/Canonical/Checkbox/issues/1234' },
        { auth },
      );
      expect(response.status).toBe(201);
      const body = response.json();
      expect(body).toMatchObject({
        source: 'GITHUB',
        project: 'canonical/checkbox',
        key: '1234',
        url: 'https://github.com/canonical/checkbox/issues/1234',
        sync_status: 'NEVER_SYNCED',
        sync_error: null,
        last_synced_at: null,
      });
      const row = await env.db.issue.findUniqueOrThrow({
        where: { id: body.id },
      });
      expect(row.project).toBe('canonical/checkbox');
    });

    it('answers 200 with the existing row on a second request', async () => {
      const response = await postJson(
        api,
        { url: 'https://github.com/owner/repo/issues/1' },
        { auth },
      );
      expect(response.status).toBe(200);
      expect(response.json()).toMatchObject({
        id: ids.githubOpen,
        title: 'Crash on start',
        sync_status: 'SYNCED',
        last_synced_at: '2026-12-01T08:00:00.000Z',
      });
    });

    it('registers a Jira issue of the configured site', async () => {
      const response = await postJson(
        api,
        { url: 'https://example.atlassian.net/browse/ABC-42' },
        { auth },
      );
      expect(response.status).toBe(201);
      expect(response.json()).toMatchObject({
        source: 'JIRA',
        project: 'ABC',
        key: '42',
        url: 'https://example.atlassian.net/browse/ABC-42',
      });
    });

    it('registers a Launchpad package bug', async () => {
      const response = await postJson(
        api,
        { url: 'https://bugs.launchpad.net/ubuntu/+source/linux/+bug/2001' },
        { auth },
      );
      expect(response.status).toBe(201);
      expect(response.json()).toMatchObject({
        source: 'LAUNCHPAD',
        project: 'ubuntu',
        key: '2001',
        url: 'https://bugs.launchpad.net/ubuntu/+bug/2001',
      });
    });

    it.each([
      'https://gitlab.com/owner/repo/-/issues/1',
      'https://github.com/owner/repo/pull/3',
      'https://other.atlassian.net/browse/ABC-1',
      'not a url',
    ])('answers 400 with the parser message to %s', async (url) => {
      const response = await postJson(api, { url }, { auth });
      expect(response.status).toBe(400);
      expect(response.json()).toEqual({ error: parseError(url) });
    });

    it.each([
      [
        'an array',
        ['https://github.com/owner/repo/issues/1'],
        'Request body must be a JSON object such as {"url": "https://github.com/owner/repo/issues/1"}',
      ],
      [
        'a missing url',
        {},
        'Field "url" is missing or not a string: send the issue URL, such as {"url": "https://github.com/owner/repo/issues/1"}',
      ],
      [
        'a url that is not a string',
        { url: 12 },
        'Field "url" is missing or not a string: send the issue URL, such as {"url": "https://github.com/owner/repo/issues/1"}',
      ],
      [
        'an unknown field',
        { url: 'https://github.com/owner/repo/issues/1', sync: true },
        'Unknown field "sync" in the request body: send only "url"',
      ],
      [
        'a url over 2048 characters',
        { url: `https://github.com/owner/repo/issues/1?${'a'.repeat(2048)}` },
        'Field "url" is longer than 2048 characters: send the URL of one issue',
      ],
    ])('answers 400 to %s', async (_case, body, message) => {
      const response = await postJson(api, body, { auth });
      expect(response.status).toBe(400);
      expect(response.json()).toEqual({ error: message });
    });

    it('answers 400 to a body that is not JSON', async () => {
      const response = await request(api, {
        method: 'POST',
        auth,
        headers: { 'content-type': 'application/json' },
        body: '{"url": ',
      });
      expect(response.status).toBe(400);
      expect(response.json()).toEqual({
        error:
          'Request body is not valid JSON: send a JSON object such as {"url": "https://github.com/owner/repo/issues/1"}',
      });
    });

    it.each([
      ['text/plain', 'https://github.com/owner/repo/issues/1'],
      ['application/x-www-form-urlencoded', 'url=https%3A%2F%2Fgithub.com'],
      [undefined, '{"url": "https://github.com/owner/repo/issues/1"}'],
    ])('answers 415 to Content-Type %s', async (contentType, body) => {
      const response = await request(api, {
        method: 'POST',
        auth,
        headers:
          contentType === undefined ? {} : { 'content-type': contentType },
        body,
      });
      expect(response.status).toBe(415);
      expect(response.json()).toEqual({
        error:
          'Unsupported Content-Type: send the body as JSON with Content-Type: application/json',
      });
    });

    it('accepts application/json with a charset', async () => {
      const response = await request(api, {
        method: 'POST',
        auth,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ url: 'https://github.com/owner/repo/issues/2' }),
      });
      expect(response.status).toBe(200);
      expect(response.json().id).toBe(ids.githubClosed);
    });

    it('answers 413 to a body over 16 KiB', async () => {
      const before = await env.db.issue.count();
      const response = await postJson(
        api,
        { url: `https://github.com/owner/repo/issues/9?${'a'.repeat(17_000)}` },
        { auth },
      );
      expect(response.status).toBe(413);
      expect(response.json()).toEqual({
        error:
          'Request body is larger than 16384 bytes: send only a small JSON object such as {"url": "https://github.com/owner/repo/issues/1"}',
      });
      expect(await env.db.issue.count()).toBe(before);
    });
  });

  describe('POST /api/issues/:id/sync', () => {
    it('queues a sync job with the configured retry policy', async () => {
      const response = await request(`${api}/${ids.githubOpen}/sync`, {
        method: 'POST',
        auth,
      });
      expect(response.status).toBe(202);
      expect(response.json()).toEqual({
        issue_id: ids.githubOpen,
        queue: 'sync-github',
        result: 'queued',
      });

      const [job] = await env.queues.sync.GITHUB.getWaiting();
      expect(job?.name).toBe(SYNC_JOB);
      expect(job?.data).toEqual({ issueId: ids.githubOpen });
      expect(job?.opts.attempts).toBe(3);
      expect(job?.opts.backoff).toEqual({
        type: 'exponential',
        delay: 60000,
        jitter: 0.5,
      });
      expect(job?.opts.removeOnFail).toEqual({ count: 10000, age: 604800 });
    });

    it('reports a job already waiting without adding another', async () => {
      const response = await request(`${api}/${ids.githubOpen}/sync`, {
        method: 'POST',
        auth,
      });
      expect(response.status).toBe(202);
      expect(response.json().result).toBe('already_queued');
      expect(await env.queues.sync.GITHUB.getWaitingCount()).toBe(1);
    });

    it('promotes a job waiting for its retry backoff', async () => {
      const queue = env.queues.sync.JIRA;
      const delayed = await queue.add(
        SYNC_JOB,
        { issueId: ids.jiraFailed },
        {
          delay: 3_600_000,
          deduplication: { id: syncDeduplicationId(ids.jiraFailed) },
        },
      );
      expect(await delayed.getState()).toBe('delayed');

      const response = await postJson(
        `${api}/${ids.jiraFailed}/sync`,
        {},
        { auth },
      );
      expect(response.status).toBe(202);
      expect(response.json()).toEqual({
        issue_id: ids.jiraFailed,
        queue: 'sync-jira',
        result: 'promoted',
      });
      expect(await delayed.getState()).toBe('waiting');
      expect(await queue.getJobCounts('waiting', 'delayed')).toEqual({
        waiting: 1,
        delayed: 0,
      });
    });

    it('answers 404 to an unknown id', async () => {
      const response = await request(`${api}/999999/sync`, {
        method: 'POST',
        auth,
      });
      expect(response.status).toBe(404);
      expect(response.json()).toEqual({
        error:
          'Issue 999999 not found: list registered issues with GET /api/issues',
      });
    });

    it.each(['0', '-1', 'abc', '1.5', '2147483648', '00x'])(
      'answers 400 to id %s',
      async (id) => {
        const response = await request(`${api}/${id}/sync`, {
          method: 'POST',
          auth,
        });
        expect(response.status).toBe(400);
        expect(response.json()).toEqual({
          error: `Invalid issue id "${id}": use a positive whole number, as listed by GET /api/issues`,
        });
      },
    );

    it('answers 415 to a body that is not JSON', async () => {
      const response = await request(`${api}/${ids.githubOpen}/sync`, {
        method: 'POST',
        auth,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'a=1',
      });
      expect(response.status).toBe(415);
      expect(response.json()).toEqual({
        error:
          'Unsupported Content-Type: send no body, or JSON with Content-Type: application/json',
      });
    });

    it('answers 413 to a JSON body over 16 KiB', async () => {
      const response = await postJson(
        `${api}/${ids.githubOpen}/sync`,
        { padding: 'a'.repeat(17_000) },
        { auth },
      );
      expect(response.status).toBe(413);
    });
  });
});
