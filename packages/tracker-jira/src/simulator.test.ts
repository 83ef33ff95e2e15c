import type { IssueRef, TrackerAdapter } from '@issue-sync/tracker-core';
import { startSimulator } from '@issue-sync/tracker-sim';
import type { SimIssue, Simulator } from '@issue-sync/tracker-sim';

import { createJiraAdapter } from './jira-adapter';

const USERNAME = 'sync-bot@example.com';
const TOKEN = 'CANARY-sim-jira-token-0b6e';
const SEARCH_ENDPOINT = 'POST /rest/api/3/search/jql';
const ISSUE_ENDPOINT = 'GET /rest/api/3/issue/{key}';

const demoIssues: SimIssue[] = Array.from({ length: 100 }, (_, index) => ({
  source: 'jira',
  project: 'DEMO',
  key: String(index + 1),
  title: `Demo issue ${index + 1}`,
  status: index % 2 === 0 ? 'To Do' : 'In Review',
  statusCategory: index % 2 === 0 ? 'new' : 'indeterminate',
  labels: [`batch-${index % 3}`],
}));

const issues: SimIssue[] = [
  ...demoIssues,
  {
    source: 'jira',
    project: 'SEN',
    key: '6',
    title: 'improve the page load performance',
    status: 'Done',
    statusCategory: 'done',
    labels: ['backend', 'performance'],
  },
  {
    source: 'jira',
    project: 'APP',
    key: '123',
    title: 'moved away',
    status: 'In Progress',
    statusCategory: 'indeterminate',
    movedTo: 'PLATFORM-45',
  },
];

let sim: Simulator;
let adapter: TrackerAdapter;

function ref(project: string, key: string): IssueRef {
  return { source: 'JIRA', project, key };
}

beforeAll(async () => {
  sim = await startSimulator({
    issues,
    jiraUser: { username: USERNAME, token: TOKEN },
  });
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.reset();
  sim.clearFaults();
  adapter = createJiraAdapter({
    baseUrl: sim.jiraBaseUrl,
    username: USERNAME,
    token: TOKEN,
    timeoutMs: 5000,
    batchWindowMs: 10,
    batchSize: 100,
    maxResponseBytes: 5 * 1024 * 1024,
    userAgent: 'issue-sync-test/1.0',
  });
});

afterEach(async () => {
  await adapter.close();
});

describe('JiraAdapter against the simulator', () => {
  it('reads a found issue', async () => {
    expect(await adapter.fetchIssue(ref('SEN', '6'))).toEqual({
      title: 'improve the page load performance',
      status: 'CLOSED',
      trackerStatus: 'Done',
      labels: ['backend', 'performance'],
    });
  });

  it('reports a missing issue as not_found', async () => {
    await expect(adapter.fetchIssue(ref('DEMO', '999'))).rejects.toMatchObject({
      kind: 'not_found',
      httpStatus: 404,
      message: `Jira issue DEMO-999 does not exist or the account in JIRA_USERNAME cannot see it (404 from Jira at ${sim.jiraBaseUrl})`,
    });
    expect(sim.stats().jira.byEndpoint).toEqual({
      [SEARCH_ENDPOINT]: 1,
      [ISSUE_ENDPOINT]: 1,
    });
  });

  it('reports a moved issue with its new key', async () => {
    expect(await adapter.fetchIssue(ref('APP', '123'))).toEqual({
      title: 'moved away',
      status: 'OPEN',
      trackerStatus: 'In Progress',
      labels: [],
      movedTo: { source: 'JIRA', project: 'PLATFORM', key: '45' },
    });
  });

  it('reads 100 issues with one request', async () => {
    const snapshots = await Promise.all(
      demoIssues.map((issue) => adapter.fetchIssue(ref('DEMO', issue.key))),
    );
    expect(snapshots).toHaveLength(100);
    expect(snapshots[0]).toEqual({
      title: 'Demo issue 1',
      status: 'OPEN',
      trackerStatus: 'To Do',
      labels: ['batch-0'],
    });
    expect(snapshots[99]).toEqual({
      title: 'Demo issue 100',
      status: 'OPEN',
      trackerStatus: 'In Review',
      labels: ['batch-0'],
    });
    const stats = sim.stats().jira;
    expect(stats.requests).toBe(1);
    expect(stats.byEndpoint).toEqual({ [SEARCH_ENDPOINT]: 1 });
  });

  it('keeps found issues beside a missing one', async () => {
    const [found, missing] = await Promise.allSettled([
      adapter.fetchIssue(ref('DEMO', '1')),
      adapter.fetchIssue(ref('DEMO', '5000')),
    ]);
    expect(found.status).toBe('fulfilled');
    expect(missing.status).toBe('rejected');
    expect((missing as PromiseRejectedResult).reason).toMatchObject({
      kind: 'not_found',
    });
  });

  it('reports a 503 fault as unavailable', async () => {
    sim.setFaults({ tracker: 'jira', fault: { status: 503 } });
    await expect(adapter.fetchIssue(ref('DEMO', '1'))).rejects.toMatchObject({
      kind: 'unavailable',
      httpStatus: 503,
    });
  });

  it('reports a 429 fault with its Retry-After', async () => {
    sim.setFaults({
      tracker: 'jira',
      fault: { status: 429, retryAfterSec: 7 },
    });
    await expect(adapter.fetchIssue(ref('DEMO', '1'))).rejects.toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 7000,
    });
  });

  it.each([
    ['malformed', 'invalid_response'],
    ['wrong-shape', 'invalid_response'],
    ['html', 'invalid_response'],
    ['truncated', 'network'],
  ] as const)('reports a %s body as %s', async (body, kind) => {
    sim.setFaults({ tracker: 'jira', fault: { body } });
    await expect(adapter.fetchIssue(ref('DEMO', '1'))).rejects.toMatchObject({
      kind,
    });
  });

  it('reports a huge body as invalid_response', async () => {
    sim.setFaults({ tracker: 'jira', fault: { body: 'huge' } });
    await expect(adapter.fetchIssue(ref('DEMO', '1'))).rejects.toMatchObject({
      kind: 'invalid_response',
      message: `Response from Jira at ${sim.jiraBaseUrl} is larger than 5242880 bytes: raise TRACKER_MAX_RESPONSE_BYTES if such answers are expected`,
    });
  });

  it('reports a reset connection as network', async () => {
    sim.setFaults({ tracker: 'jira', fault: { reset: true } });
    await expect(adapter.fetchIssue(ref('DEMO', '1'))).rejects.toMatchObject({
      kind: 'network',
    });
  });

  it('rejects a wrong token as unauthorized', async () => {
    const wrong = createJiraAdapter({
      baseUrl: sim.jiraBaseUrl,
      username: USERNAME,
      token: 'wrong-token',
      timeoutMs: 5000,
      batchWindowMs: 1,
      batchSize: 10,
      maxResponseBytes: 1024 * 1024,
      userAgent: 'issue-sync-test/1.0',
    });
    try {
      await expect(wrong.fetchIssue(ref('DEMO', '1'))).rejects.toMatchObject({
        kind: 'unauthorized',
        httpStatus: 401,
      });
      const report = await wrong.checkCredentials();
      expect(report.ok).toBe(false);
      expect(
        report.summary.startsWith(
          `401 Unauthorized from Jira at ${sim.jiraBaseUrl}: check JIRA_USERNAME and JIRA_TOKEN`,
        ),
      ).toBe(true);
    } finally {
      await wrong.close();
    }
  });

  it('reports the account behind the token', async () => {
    expect(await adapter.checkCredentials()).toEqual({
      ok: true,
      summary: `Jira at ${sim.jiraBaseUrl} accepts JIRA_TOKEN for Simulated User (${USERNAME})`,
      warnings: [],
    });
  });
});
