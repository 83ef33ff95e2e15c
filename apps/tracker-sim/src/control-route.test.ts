import { startSimulator, type Simulator } from './simulator';
import { send } from './testing/http-client';
import type { SimIssue } from './types';

const ISSUES: SimIssue[] = [
  {
    source: 'github',
    project: 'octo/repo',
    key: '1',
    title: 'First',
    status: 'OPEN',
  },
  {
    source: 'jira',
    project: 'DEMO',
    key: '12',
    title: 'Add export',
    status: 'To Do',
  },
  {
    source: 'launchpad',
    project: 'ubuntu',
    key: '1000001',
    title: 'Panic',
    status: 'New',
  },
];

const GITHUB_QUERY =
  '{ repository(owner: "octo", name: "repo") { issue(number: 1) { title state } } }';

describe('control endpoints', () => {
  let sim: Simulator;

  const control = (method: string, path: string, body?: object | string) =>
    send(`${sim.url}/_sim/${path}`, {
      method,
      ...(body === undefined ? {} : { body }),
    });
  const readJira = () =>
    send(`${sim.jiraBaseUrl}/rest/api/3/issue/DEMO-12?fields=status`);

  beforeEach(async () => {
    sim = await startSimulator({ issues: ISSUES, requestLogSize: 3 });
  });

  afterEach(async () => {
    await sim.close();
  });

  describe('GET /_sim/stats', () => {
    it('counts requests per tracker, endpoint and status', async () => {
      await send(`${sim.githubApiUrl}/graphql`, {
        method: 'POST',
        body: { query: GITHUB_QUERY },
      });
      await readJira();
      await send(`${sim.jiraBaseUrl}/rest/api/3/issue/DEMO-99`);
      await send(`${sim.launchpadApiUrl}/bugs/1000001`);
      await send(`${sim.launchpadApiUrl}/bugs/1000001/bug_tasks`);
      await send(`${sim.url}/elsewhere`);
      const response = await control('GET', 'stats');

      expect(response.status).toBe(200);
      expect(response.json).toEqual({
        github: {
          requests: 1,
          byEndpoint: { 'POST /graphql': 1 },
          byStatus: { '200': 1 },
          faults: 0,
          rateLimited: 0,
        },
        jira: {
          requests: 2,
          byEndpoint: { 'GET /rest/api/3/issue/{key}': 2 },
          byStatus: { '200': 1, '404': 1 },
          faults: 0,
          rateLimited: 0,
        },
        launchpad: {
          requests: 2,
          byEndpoint: { 'GET /bugs/{id}': 1, 'GET /bugs/{id}/bug_tasks': 1 },
          byStatus: { '200': 2 },
          faults: 0,
          rateLimited: 0,
        },
        total: 5,
        unmatched: 1,
      });
      expect(sim.stats()).toEqual(response.json);
    });
  });

  describe('PUT /_sim/issues', () => {
    it('changes an issue between two reads', async () => {
      const before = await readJira();
      const upsert = await control('PUT', 'issues', {
        issues: [
          {
            source: 'jira',
            project: 'DEMO',
            key: '12',
            title: 'Add export',
            status: 'Done',
            statusCategory: 'done',
          },
        ],
      });
      const after = await readJira();

      expect(
        (before.json as { fields: { status: { name: string } } }).fields.status
          .name,
      ).toBe('To Do');
      expect(upsert.status).toBe(200);
      expect(upsert.json).toEqual({ upserted: 1, issues: 3 });
      expect(after.json).toMatchObject({
        id: '10001',
        fields: { status: { name: 'Done', statusCategory: { key: 'done' } } },
      });
    });

    it('adds a new issue', async () => {
      await control('PUT', 'issues', [
        {
          source: 'github',
          project: 'octo/repo',
          key: '2',
          title: 'New',
          status: 'CLOSED',
        },
      ]);
      const response = await send(`${sim.githubApiUrl}/graphql`, {
        method: 'POST',
        body: {
          query:
            '{ repository(owner: "octo", name: "repo") { issue(number: 2) { title state } } }',
        },
      });

      expect(response.json).toEqual({
        data: { repository: { issue: { title: 'New', state: 'CLOSED' } } },
      });
    });

    it('rejects an invalid issue naming the field', async () => {
      const response = await control('PUT', 'issues', {
        issues: [{ source: 'gitlab', project: 'a/b', key: '1' }],
      });

      expect(response.status).toBe(400);
      expect(response.json).toEqual({
        error:
          'issues[0]: source is "gitlab"; expected one of github, jira, launchpad',
      });
    });
  });

  describe('PUT and DELETE /_sim/faults', () => {
    it('sets an issue fault and removes it again', async () => {
      const set = await control('PUT', 'faults', {
        faults: [
          {
            source: 'jira',
            project: 'DEMO',
            key: '12',
            fault: { status: 503 },
          },
        ],
      });
      const failed = await readJira();
      await control('PUT', 'faults', {
        faults: [{ source: 'jira', project: 'DEMO', key: '12', fault: null }],
      });
      const recovered = await readJira();

      expect(set.json).toEqual({ ok: true });
      expect(failed.status).toBe(503);
      expect(recovered.status).toBe(200);
    });

    it('sets a tracker fault and clears all faults', async () => {
      await control('PUT', 'faults', {
        tracker: 'launchpad',
        fault: { status: 500 },
      });
      const failed = await send(`${sim.launchpadApiUrl}/bugs/1000001`);
      const cleared = await control('DELETE', 'faults');
      const recovered = await send(`${sim.launchpadApiUrl}/bugs/1000001`);

      expect(failed.status).toBe(500);
      expect(cleared.json).toEqual({ ok: true });
      expect(recovered.status).toBe(200);
    });

    it.each([
      [
        { tracker: 'gitlab', fault: {} },
        'tracker is "gitlab"; expected one of github, jira, launchpad',
      ],
      [
        { tracker: 'jira' },
        'fault is missing; give a fault object, or null to remove the fault',
      ],
      [
        { tracker: 'jira', fault: { status: 99 } },
        'fault: status is 99; expected an HTTP status from 200 to 599',
      ],
      [
        { tracker: 'jira', fault: { body: 'broken' } },
        'fault: body is "broken"; expected one of malformed, truncated, html, wrong-shape, huge',
      ],
      [
        { tracker: 'jira', fault: { times: 0 } },
        'fault: times is 0; expected a positive integer, or no times for a lasting fault',
      ],
      [
        { tracker: 'jira', fault: { retries: 1 } },
        'fault: unknown field "retries"; expected one of status, retryAfterSec, delayMs, reset, body, times',
      ],
      [
        { faults: [{ source: 'jira', project: 'DEMO', key: '12' }] },
        'faults[0]: fault is missing; give a fault object, or null to remove it',
      ],
      [{}, 'expected {"faults": [...]} or {"tracker": "...", "fault": {...}}'],
    ])('rejects %j', async (body, message) => {
      const response = await control('PUT', 'faults', body);

      expect(response.status).toBe(400);
      expect(response.json).toEqual({ error: message });
    });

    it('rejects a body that is not JSON', async () => {
      const response = await control('PUT', 'faults', '{');

      expect(response.status).toBe(400);
      expect(response.json).toEqual({
        error: 'request body is not valid JSON; send a JSON object',
      });
    });
  });

  describe('GET /_sim/requests', () => {
    it('keeps the latest requests without headers', async () => {
      await send(`${sim.githubApiUrl}/graphql`, {
        method: 'POST',
        headers: { authorization: 'bearer secret-token' },
        body: { query: GITHUB_QUERY },
      });
      await readJira();
      await send(`${sim.launchpadApiUrl}/bugs/1000001`);
      await send(`${sim.launchpadApiUrl}/bugs/1000001/bug_tasks?ws.size=5`);
      const response = await control('GET', 'requests');
      const { requests } = response.json as {
        requests: Array<Record<string, unknown>>;
      };

      expect(requests.map((entry) => entry.seq)).toEqual([2, 3, 4]);
      expect(requests[0]).toMatchObject({
        tracker: 'jira',
        method: 'GET',
        path: '/jira/rest/api/3/issue/DEMO-12',
        query: { fields: 'status' },
        endpoint: 'GET /rest/api/3/issue/{key}',
        status: 200,
        issues: ['jira:DEMO-12'],
      });
      expect(requests[2]).toMatchObject({
        tracker: 'launchpad',
        path: '/launchpad/devel/bugs/1000001/bug_tasks',
        query: { 'ws.size': '5' },
        issues: ['launchpad:1000001'],
      });
      expect(response.text).not.toContain('secret-token');
    });

    it('keeps a summary of the request body', async () => {
      await send(`${sim.githubApiUrl}/graphql`, {
        method: 'POST',
        body: { query: GITHUB_QUERY },
      });
      const [entry] = sim.requestLog();

      expect(entry!.body).toBe(JSON.stringify({ query: GITHUB_QUERY }));
      expect(entry!.issues).toEqual(['github:octo/repo#1']);
    });
  });

  describe('POST /_sim/reset', () => {
    it('clears counters and the request log', async () => {
      await readJira();
      const response = await control('POST', 'reset');

      expect(response.json).toEqual({ ok: true });
      expect(sim.stats().total).toBe(0);
      expect(sim.stats().jira).toEqual({
        requests: 0,
        byEndpoint: {},
        byStatus: {},
        faults: 0,
        rateLimited: 0,
      });
      expect(sim.requestLog()).toEqual([]);
    });
  });

  it('rejects an unknown control path with 404', async () => {
    const response = await control('GET', 'nothing');

    expect(response.status).toBe(404);
    expect(response.json).toEqual({
      error:
        'no control endpoint GET /_sim/nothing; use GET /_sim/stats, GET /_sim/requests, PUT /_sim/issues, PUT or DELETE /_sim/faults, POST /_sim/reset',
    });
  });
});
