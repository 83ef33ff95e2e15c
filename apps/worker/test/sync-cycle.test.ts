import {
  startSimulator,
  type SimIssue,
  type Simulator,
} from '@issue-sync/tracker-sim';
import {
  AppProcess,
  REDIS_URL,
  createTestDatabase,
  runCli,
  uniquePrefix,
  type TestDatabase,
} from '@issue-sync/test-support';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  appEnvironment,
  GITHUB_TOKEN,
  JIRA_TOKEN,
  JIRA_USERNAME,
} from './environment';

interface IssueRow {
  source: string;
  project: string;
  key: string;
  title: string;
  status: string;
  tracker_status: string | null;
  labels: string[];
  sync_status: string;
  sync_error: string | null;
}

/** 1,000 issues: 400 GitHub, 300 Jira, 300 Launchpad, with failures of each kind. */
function buildIssues(): SimIssue[] {
  const issues: SimIssue[] = [];
  for (let n = 1; n <= 400; n += 1) {
    issues.push({
      source: 'github',
      project: `org-${n % 4}/repo-${n % 5}`,
      key: String(n),
      title: `GitHub issue ${n}`,
      status: n % 3 === 0 ? 'CLOSED' : 'OPEN',
      stateReason:
        n % 3 === 0 ? (n % 2 === 0 ? 'NOT_PLANNED' : 'COMPLETED') : undefined,
      labels: n % 2 === 0 ? ['bug', `area-${n % 7}`] : [],
    });
  }
  for (let n = 1; n <= 300; n += 1) {
    const category = (['new', 'indeterminate', 'done'] as const)[n % 3]!;
    issues.push({
      source: 'jira',
      project: n % 2 === 0 ? 'DEMO' : 'OPS',
      key: String(n),
      title: `Jira issue ${n}`,
      status: { new: 'To Do', indeterminate: 'In Review', done: 'Done' }[
        category
      ],
      statusCategory: category,
      labels: n % 5 === 0 ? ['regression'] : [],
    });
  }
  for (let n = 1; n <= 300; n += 1) {
    issues.push({
      source: 'launchpad',
      project: n % 2 === 0 ? 'ubuntu' : 'checkbox-ng',
      key: String(100000 + n),
      title: `Launchpad bug ${n}`,
      status: n % 4 === 0 ? 'Fix Released' : 'Triaged',
      target: n % 2 === 0 ? 'ubuntu' : 'checkbox-ng',
      labels: n % 3 === 0 ? ['noble'] : [],
    });
  }

  return issues;
}

function urlOf(
  sim: Simulator,
  issue: { source: string; project: string; key: string },
): string {
  if (issue.source === 'github') {
    return `https://github.com/${issue.project}/issues/${issue.key}`;
  }
  if (issue.source === 'jira') {
    return `${sim.jiraBaseUrl}/browse/${issue.project}-${issue.key}`;
  }
  return `https://bugs.launchpad.net/${issue.project}/+bug/${issue.key}`;
}

describe('sync cycle', () => {
  let db: TestDatabase;
  let sim: Simulator;
  let worker: AppProcess;
  let env: Record<string, string>;
  const issues = buildIssues();

  beforeAll(async () => {
    db = await createTestDatabase('cycle');
    sim = await startSimulator({
      issues,
      githubToken: GITHUB_TOKEN,
      jiraUser: { username: JIRA_USERNAME, token: JIRA_TOKEN },
    });
    env = appEnvironment(db.url, uniquePrefix('cycle'), sim);
    const missing = [
      { source: 'github', project: 'org-1/repo-1', key: '9001' },
      { source: 'jira', project: 'DEMO', key: '9002' },
      { source: 'launchpad', project: 'ubuntu', key: '9003' },
    ];
    const lines = [...issues, ...missing].map((issue) => urlOf(sim, issue));
    const file = path.join(os.tmpdir(), `cycle-${process.pid}.txt`);
    fs.writeFileSync(file, lines.join('\n'));
    const imported = await runCli(env, ['import', file]);
    expect(imported.stdout).toContain(
      '1003 lines: 1003 new, 0 already registered, 0 invalid',
    );
    worker = new AppProcess('worker', env);
    await worker.waitForLog((line) => line.message === 'worker started');
  });

  afterAll(async () => {
    await worker?.stop();
    await sim?.close();
    await db?.drop();
  });

  it('records every issue after one sweep', async () => {
    sim.setFaults({
      faults: [
        {
          source: 'github',
          project: 'org-1/repo-1',
          key: '1',
          fault: { status: 502, times: 1 },
        },
        {
          source: 'github',
          project: 'org-2/repo-2',
          key: '2',
          fault: { body: 'malformed' },
        },
        {
          source: 'launchpad',
          project: 'ubuntu',
          key: '100002',
          fault: { status: 503 },
        },
        {
          source: 'launchpad',
          project: 'ubuntu',
          key: '100004',
          fault: { status: 403 },
        },
        {
          source: 'launchpad',
          project: 'ubuntu',
          key: '100006',
          fault: { reset: true },
        },
        {
          source: 'launchpad',
          project: 'ubuntu',
          key: '100008',
          fault: { body: 'malformed' },
        },
        {
          source: 'launchpad',
          project: 'ubuntu',
          key: '100010',
          fault: { status: 429, retryAfterSec: 1, times: 4 },
        },
        {
          source: 'launchpad',
          project: 'ubuntu',
          key: '100012',
          fault: { status: 401 },
        },
      ],
    });

    const result = await runCli(env, ['sync', '--all', '--wait']);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'sweep read 1003 issues: 1003 jobs added, 0 already pending',
    );
    expect(result.stdout).toContain('done: 994 synced, 9 failed');
    const rows = await readRows(db);
    const base = sim.launchpadApiUrl;
    const expectedFailures: Record<string, unknown> = {
      'GITHUB org-1/repo-1 9001': `GitHub issue org-1/repo-1#9001 not found at ${sim.githubApiUrl}: it was deleted, transferred to a repository the token cannot see, or the repository is private or was renamed; check the issue URL and that GITHUB_TOKEN can read the repository (after 3 attempts)`,
      'JIRA DEMO 9002': `Jira issue DEMO-9002 does not exist or the account in JIRA_USERNAME cannot see it (404 from Jira at ${sim.jiraBaseUrl}) (after 3 attempts)`,
      'LAUNCHPAD ubuntu 9003': `Launchpad bug 9003 is missing or private (404 from Launchpad at ${base}): anonymous readers cannot tell the two apart, so check the bug number in a browser while logged in (after 3 attempts)`,
      'GITHUB org-2/repo-2 2': `GitHub at ${sim.githubApiUrl} sent malformed or truncated JSON (HTTP 200) for the GraphQL query (after 3 attempts)`,
      'LAUNCHPAD ubuntu 100002': `503 Service Unavailable from Launchpad at ${base}: the tracker is down or overloaded; try again later (after 3 attempts)`,
      'LAUNCHPAD ubuntu 100004': `403 Forbidden from Launchpad at ${base}: access was denied (a private project, or an account without permission to read it) (after 3 attempts)`,
      'LAUNCHPAD ubuntu 100006': `The connection to Launchpad at ${base} was closed before the response ended (ECONNRESET): check the tracker's status and any proxy in between (after 3 attempts)`,
      'LAUNCHPAD ubuntu 100008': expect.stringMatching(
        /^Launchpad at \S+ sent the entry of bug 100008 that is not valid JSON \(HTTP 200, content type application\/json, \d+ characters\) \(after 3 attempts\)$/,
      ),
      'LAUNCHPAD ubuntu 100012': `401 Unauthorized from Launchpad at ${base}: Launchpad is read anonymously, so check that LAUNCHPAD_API_URL points at its public web service (after 3 attempts)`,
    };
    const failures = Object.fromEntries(
      rows
        .filter((row) => row.sync_status === 'SYNC_FAILED')
        .map((row) => [
          `${row.source} ${row.project} ${row.key}`,
          row.sync_error,
        ]),
    );
    expect(failures).toEqual(expectedFailures);
    const attempts = await failedJobAttempts(env.QUEUE_PREFIX!);
    expect(attempts).toEqual({
      'sync-github': [3, 3],
      'sync-jira': [3],
      'sync-launchpad': [3, 3, 3, 3, 3, 3],
    });
    // Each attempt reads the bug and its tasks, so the four 429 answers took
    // two attempts, neither of which was spent.
    expect(
      rowOf(rows, { source: 'launchpad', project: 'ubuntu', key: '100010' })
        ?.sync_status,
    ).toBe('SYNCED');
    expect(
      worker.logs.filter(
        (line) => line.message === 'tracker rate limit reached; queue paused',
      ),
    ).toHaveLength(2);
    for (const issue of issues) {
      const id = `${issue.source.toUpperCase()} ${issue.project} ${issue.key}`;
      if (failures[id] !== undefined) {
        continue;
      }
      expect(rowOf(rows, issue)).toEqual(expectedRow(issue));
    }
  });

  it('records changes on the next sweep', async () => {
    sim.clearFaults();
    const changed: SimIssue[] = [
      {
        ...issues[0]!,
        title: 'GitHub issue 1, renamed',
        status: 'CLOSED',
        stateReason: 'COMPLETED',
        labels: ['done'],
      },
      { ...issues[400]!, status: 'Done', statusCategory: 'done', labels: [] },
      { ...issues[700]!, status: 'Fix Released' },
    ];
    sim.upsertIssues(changed);

    const result = await runCli(env, ['sync', '--all', '--wait']);

    expect(result.stdout).toContain('done: 1000 synced, 3 failed');
    const rows = await readRows(db);
    for (const issue of [...changed, ...issues.slice(1, 10)]) {
      expect(rowOf(rows, issue)).toEqual(expectedRow(issue));
    }
    expect(
      rowOf(rows, { source: 'launchpad', project: 'ubuntu', key: '100002' }),
    ).toEqual(expectedRow(issues.find((issue) => issue.key === '100002')!));
  });
});

async function failedJobAttempts(
  prefix: string,
): Promise<Record<string, number[]>> {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const result: Record<string, number[]> = {};
  try {
    for (const name of ['sync-github', 'sync-jira', 'sync-launchpad']) {
      const queue = new Queue(name, { connection, prefix });
      const failed = await queue.getFailed();
      result[name] = failed.map((job) => job.attemptsMade);
      await queue.close();
    }
  } finally {
    connection.disconnect();
  }

  return result;
}

async function readRows(db: TestDatabase): Promise<IssueRow[]> {
  return db.query<IssueRow>(
    `SELECT source, project, key, title, status, tracker_status, labels, sync_status, sync_error
       FROM issue ORDER BY id`,
  );
}

function rowOf(
  rows: IssueRow[],
  issue: Pick<SimIssue, 'source' | 'project' | 'key'>,
): IssueRow | undefined {
  return rows.find(
    (row) =>
      row.source === issue.source.toUpperCase() &&
      row.project === issue.project &&
      row.key === issue.key,
  );
}

/** The row a successful sync of `issue` must leave. */
function expectedRow(issue: SimIssue): IssueRow {
  let status: string;
  let trackerStatus: string;
  if (issue.source === 'github') {
    status = issue.status!;
    trackerStatus = issue.stateReason ?? issue.status!;
  } else if (issue.source === 'jira') {
    status = issue.statusCategory === 'done' ? 'CLOSED' : 'OPEN';
    trackerStatus = issue.status!;
  } else {
    status = issue.status === 'Fix Released' ? 'CLOSED' : 'OPEN';
    trackerStatus = issue.status!;
  }

  return {
    source: issue.source.toUpperCase(),
    project: issue.project,
    key: issue.key,
    title: issue.title!,
    status,
    tracker_status: trackerStatus,
    labels: issue.labels ?? [],
    sync_status: 'SYNCED',
    sync_error: null,
  };
}
