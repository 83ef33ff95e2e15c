import {
  startSimulator,
  type SimIssue,
  type SimSource,
  type Simulator,
} from '@issue-sync/tracker-sim';
import {
  AppProcess,
  REDIS_URL,
  createTestDatabase,
  runCli,
  uniquePrefix,
  type CommandResult,
  type TestDatabase,
} from '@issue-sync/test-support';
import {
  createQueues,
  enqueueSyncJobs,
  type QueueSet,
} from '@issue-sync/queue';
import type { IssueSource } from '@issue-sync/tracker-core';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  appEnvironment,
  GITHUB_TOKEN,
  JIRA_TOKEN,
  JIRA_USERNAME,
} from './environment';
import {
  FAULT_CASES,
  RETRY_ATTEMPTS,
  TIMEOUT_MS,
  buildMatrixIssues,
  issueKeyOf,
  issueUrlOf,
  type ExpectedOutcome,
  type FaultCase,
  type MatrixIssue,
  type TrackerUrls,
} from './fault-cases';
import { waitUntil } from './wait';

const TRACKERS: SimSource[] = ['github', 'jira', 'launchpad'];
const BACKOFF_MS = 100;

interface IssueRow {
  id: number;
  source: string;
  project: string;
  key: string;
  title: string;
  status: string;
  labels: string[];
  sync_status: string;
  sync_error: string | null;
  last_synced_at: Date | null;
  last_attempted_at: Date | null;
}

const CRASH_PATTERN =
  /unhandled promise rejection|uncaught exception|UnhandledPromiseRejection/i;

/** Issues of the worker without credentials: one per tracker. */
const UNSET_ISSUES: SimIssue[] = [
  {
    source: 'github',
    project: 'fault-org/unset',
    key: '1',
    title: 'GitHub issue without a token',
    status: 'OPEN',
    labels: [],
  },
  {
    source: 'jira',
    project: 'UNSET',
    key: '1',
    title: 'Jira issue without a token',
    status: 'To Do',
    labels: [],
  },
  {
    source: 'launchpad',
    project: 'ubuntu',
    key: '310001',
    title: 'Launchpad bug read anonymously',
    status: 'New',
    target: 'ubuntu',
    labels: [],
  },
];

const matrix: MatrixIssue[] = TRACKERS.flatMap(buildMatrixIssues);
let sim: Simulator;
let urls: TrackerUrls;

beforeAll(async () => {
  sim = await startSimulator({
    issues: [...matrix.map((issue) => issue.sim), ...UNSET_ISSUES],
    githubToken: GITHUB_TOKEN,
    jiraUser: { username: JIRA_USERNAME, token: JIRA_TOKEN },
    requestLogSize: 100_000,
  });
  urls = {
    github: sim.githubApiUrl,
    jira: sim.jiraBaseUrl,
    launchpad: sim.launchpadApiUrl,
  };
});

afterAll(async () => {
  await sim?.close();
});

function rowOf(rows: IssueRow[], issue: SimIssue): IssueRow {
  const row = rows.find(
    (candidate) =>
      candidate.source === issue.source.toUpperCase() &&
      candidate.project === issue.project &&
      candidate.key === issue.key,
  );
  if (row === undefined) {
    throw new Error(`no issue row for ${issue.source} ${issueKeyOf(issue)}`);
  }

  return row;
}

async function readRows(db: TestDatabase): Promise<IssueRow[]> {
  return db.query<IssueRow>(
    `SELECT id, source, project, key, title, status, labels, sync_status,
            sync_error, last_synced_at, last_attempted_at
       FROM issue ORDER BY id`,
  );
}

/** attemptsMade of the failed sync jobs of each issue, by issue id. */
async function readFailedAttempts(
  prefix: string,
): Promise<Map<number, number[]>> {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const attempts = new Map<number, number[]>();
  try {
    for (const tracker of TRACKERS) {
      const queue = new Queue(`sync-${tracker}`, { connection, prefix });
      for (const job of await queue.getFailed()) {
        const issueId = Number(job.data.issueId);
        attempts.set(issueId, [
          ...(attempts.get(issueId) ?? []),
          job.attemptsMade,
        ]);
      }
      await queue.close();
    }
  } finally {
    connection.disconnect();
  }

  return attempts;
}

function simId(issue: SimIssue): string {
  return issue.source === 'launchpad'
    ? `launchpad:${issue.key}`
    : `${issue.source}:${issueKeyOf(issue)}`;
}

/** Checks sync_error against the accepted messages, diffing against the first. */
function expectSyncError(
  actual: string | null,
  accepted: ExpectedOutcome['syncErrors'],
): void {
  if (accepted === null) {
    expect(actual).toBeNull();
    return;
  }
  const matches = (expected: string | RegExp): boolean =>
    typeof expected === 'string'
      ? actual === expected
      : actual !== null && expected.test(actual);
  const chosen = accepted.find(matches) ?? accepted[0]!;
  expect(actual).toEqual(
    typeof chosen === 'string' ? chosen : expect.stringMatching(chosen),
  );
}

/**
 * Queues one sync job for each issue and waits until the worker records
 * every outcome, which changes last_attempted_at.
 */
async function syncAlone(
  db: TestDatabase,
  queues: QueueSet,
  issues: IssueRow[],
): Promise<void> {
  await enqueueSyncJobs(
    queues,
    issues.map((row) => ({ id: row.id, source: row.source as IssueSource })),
    {
      attempts: RETRY_ATTEMPTS,
      backoffMs: BACKOFF_MS,
      failedKeepCount: 1000,
      failedKeepAgeSec: 3600,
    },
  );
  await waitUntil(
    `the worker to record issues ${issues.map((row) => row.id).join(', ')}`,
    async () => {
      const current = await readRows(db);
      const recorded = issues.every(
        (before) =>
          current
            .find((row) => row.id === before.id)
            ?.last_attempted_at?.getTime() !==
          before.last_attempted_at?.getTime(),
      );
      return recorded ? true : undefined;
    },
    60_000,
    50,
  );
}

async function isRunning(child: AppProcess): Promise<boolean> {
  const state = await Promise.race([
    child.exited.then(() => 'exited'),
    new Promise((resolve) => setTimeout(() => resolve('running'), 50)),
  ]);

  return state === 'running';
}

describe('fault matrix', () => {
  let db: TestDatabase;
  let worker: AppProcess;
  let prefix: string;
  const commands: CommandResult[] = [];
  let sweep: CommandResult;
  let rowsAfterSweep: IssueRow[];
  let rows: IssueRow[];
  let failedAttempts: Map<number, number[]>;
  let connection: Redis;
  let queues: QueueSet;
  const queueErrors: string[] = [];

  const run = async (
    env: Record<string, string>,
    args: string[],
  ): Promise<CommandResult> => {
    const result = await runCli(env, args);
    commands.push(result);
    return result;
  };

  beforeAll(async () => {
    db = await createTestDatabase('faults');
    prefix = uniquePrefix('faults');
    const env = appEnvironment(db.url, prefix, sim, {
      SYNC_RETRY_ATTEMPTS: String(RETRY_ATTEMPTS),
      SYNC_RETRY_BACKOFF_MS: String(BACKOFF_MS),
      TRACKER_TIMEOUT_MS: String(TIMEOUT_MS),
    });
    const added = await run(env, [
      'add',
      ...matrix.map((issue) => issueUrlOf(issue.sim, sim.jiraBaseUrl)),
    ]);
    expect(added.stdout).toContain(
      `registered ${matrix.length} new, 0 already registered, 0 invalid`,
    );
    worker = new AppProcess('worker', env);
    await worker.waitForLog((line) => line.message === 'worker started');
    connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queues = createQueues({
      connection,
      prefix,
      onError: (queue, err) => queueErrors.push(`${queue}: ${String(err)}`),
    });

    // One sweep with every fault that stays with its own issue.
    sim.setFaults({
      faults: matrix
        .filter((issue) => issue.faultCase?.alone === false)
        .map((issue) => ({ ...issue.sim, fault: issue.faultCase!.fault })),
    });
    sweep = await run(env, ['sync', '--all', '--wait']);
    sim.clearFaults();
    rowsAfterSweep = await readRows(db);

    // The other faults, one case at a time with each issue alone in its
    // tracker's queue.
    for (const faultCase of FAULT_CASES.filter((entry) => entry.alone)) {
      const members = matrix
        .filter((issue) => issue.faultCase === faultCase)
        .map((issue) => rowOf(rowsAfterSweep, issue.sim));
      sim.setFaults({
        faults: members.map((row) => ({
          source: row.source.toLowerCase() as SimSource,
          project: row.project,
          key: row.key,
          fault: faultCase.fault,
        })),
      });
      await syncAlone(db, queues, members);
      sim.clearFaults();
    }

    rows = await readRows(db);
    failedAttempts = await readFailedAttempts(prefix);
  }, 240_000);

  afterAll(async () => {
    await worker?.stop();
    await queues?.close();
    connection?.disconnect();
    await db?.drop();
  });

  const cases = TRACKERS.flatMap((tracker) =>
    FAULT_CASES.map((faultCase) => ({
      tracker,
      name: faultCase.name,
      faultCase,
    })),
  );

  it.each(cases)('ends $tracker $name as designed', (entry) => {
    const issue = matrix.find(
      (candidate) =>
        candidate.sim.source === entry.tracker &&
        candidate.faultCase === entry.faultCase,
    )!.sim;
    const expected = entry.faultCase.expected(entry.tracker, {
      urls,
      issueKey: issueKeyOf(issue),
    });
    const row = rowOf(rows, issue);
    const failure = worker.logs.filter(
      (line) => line.message === 'sync failed' && line.issueId === row.id,
    );

    expect(row.sync_status).toBe(expected.syncStatus);
    expectSyncError(row.sync_error, expected.syncErrors);
    expect(failedAttempts.get(row.id) ?? []).toEqual(
      expected.attempts === undefined ? [] : [expected.attempts],
    );
    expect(failure.map((line) => line.kind)).toEqual(
      expected.kind === undefined ? [] : [expected.kind],
    );
    if (expected.syncStatus === 'SYNCED') {
      expect(row.title).toBe(issue.title);
    }
  });

  it('reports the outcome of the sweep', () => {
    const perTracker = FAULT_CASES.filter(
      (faultCase) =>
        !faultCase.alone &&
        faultCase.expected('launchpad', { urls, issueKey: '' }).syncStatus ===
          'SYNC_FAILED',
    ).length;
    const failedCount = perTracker * TRACKERS.length;

    expect(sweep.stdout).toContain(
      `sweep read ${matrix.length} issues: ${matrix.length} jobs added, 0 already pending`,
    );
    expect(sweep.stdout).toContain(
      `done: ${matrix.length - failedCount} synced, ${failedCount} failed`,
    );
    expect(sweep.code).toBe(1);
  });

  it.each(TRACKERS)(
    'keeps %s neighbours of faulty issues synced',
    (tracker) => {
      const neighbours = matrix.filter(
        (issue) =>
          issue.sim.source === tracker && issue.faultCase === undefined,
      );
      const outcome = (row: IssueRow) => ({
        key: row.key,
        title: row.title,
        labels: row.labels,
        sync_status: row.sync_status,
        sync_error: row.sync_error,
      });

      expect(
        neighbours.map((issue) => outcome(rowOf(rows, issue.sim))),
      ).toEqual(
        neighbours.map((issue) => ({
          key: issue.sim.key,
          title: issue.sim.title,
          labels: ['matrix'],
          sync_status: 'SYNCED',
          sync_error: null,
        })),
      );
    },
  );

  it.each(TRACKERS)('keeps the last good %s values on failure', (tracker) => {
    const failedAlone = matrix.filter(
      (issue) =>
        issue.sim.source === tracker &&
        issue.faultCase?.alone === true &&
        issue.faultCase.expected(tracker, { urls, issueKey: '' }).syncStatus ===
          'SYNC_FAILED',
    );
    expect(failedAlone.map((issue) => issue.faultCase!.name)).toEqual([
      '401',
      '403',
      'wrong shape',
    ]);

    for (const issue of failedAlone) {
      const before = rowOf(rowsAfterSweep, issue.sim);
      const after = rowOf(rows, issue.sim);
      expect(before.sync_status).toBe('SYNCED');
      expect(after.sync_status).toBe('SYNC_FAILED');
      expect(after.title).toBe(issue.sim.title);
      expect(after.status).toBe(before.status);
      expect(after.labels).toEqual(['matrix']);
      expect(after.last_synced_at).toEqual(before.last_synced_at);
      expect(after.last_attempted_at!.getTime()).toBeGreaterThan(
        before.last_synced_at!.getTime(),
      );
    }
  });

  // Launchpad reads the bug and its tasks at once, so two of the five 429
  // responses fall on each attempt but the last.
  it.each([
    ['github', 5],
    ['jira', 5],
    ['launchpad', 3],
  ] as const)(
    'waits out %s rate limits without spending attempts',
    (tracker, pauses) => {
      const rateLimited = FAULT_CASES.find((faultCase) =>
        faultCase.name.startsWith('429'),
      )!;
      const issue = matrix.find(
        (candidate) =>
          candidate.sim.source === tracker &&
          candidate.faultCase === rateLimited,
      )!.sim;
      const row = rowOf(rows, issue);
      const answered429 = sim
        .requestLog()
        .filter(
          (entry) =>
            entry.status === 429 && entry.issues.includes(simId(issue)),
        );
      const pauseLines = worker.logs.filter(
        (line) =>
          line.message === 'tracker rate limit reached; queue paused' &&
          line.issueId === row.id,
      );

      expect(answered429).toHaveLength(rateLimited.fault.times!);
      expect(pauseLines).toHaveLength(pauses);
      expect(row.sync_status).toBe('SYNCED');
    },
  );

  it('logs no unhandled error and exits cleanly', async () => {
    const crashes = [
      ...worker.text,
      ...commands.flatMap((result) => [result.stdout, result.stderr]),
    ].filter((text) => CRASH_PATTERN.test(text));

    expect(crashes).toEqual([]);
    expect(queueErrors).toEqual([]);
    expect(await isRunning(worker)).toBe(true);
    expect(await worker.stop()).toBe(0);
  });
});

describe('fault matrix without credentials', () => {
  let db: TestDatabase;
  let worker: AppProcess;
  let sweep: CommandResult;
  let rows: IssueRow[];
  let failedAttempts: Map<number, number[]>;
  let requestsBefore: Record<SimSource, number>;

  const requestCounts = (): Record<SimSource, number> => {
    const stats = sim.stats();
    return {
      github: stats.github.requests,
      jira: stats.jira.requests,
      launchpad: stats.launchpad.requests,
    };
  };

  beforeAll(async () => {
    db = await createTestDatabase('unset');
    const prefix = uniquePrefix('unset');
    const env = appEnvironment(db.url, prefix, sim, {
      SYNC_RETRY_ATTEMPTS: String(RETRY_ATTEMPTS),
      SYNC_RETRY_BACKOFF_MS: String(BACKOFF_MS),
    });
    // The configuration rejects JIRA_USERNAME without JIRA_TOKEN, so both go.
    delete env.GITHUB_TOKEN;
    delete env.JIRA_USERNAME;
    delete env.JIRA_TOKEN;
    const added = await runCli(env, [
      'add',
      ...UNSET_ISSUES.map((issue) => issueUrlOf(issue, sim.jiraBaseUrl)),
    ]);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    requestsBefore = requestCounts();
    worker = new AppProcess('worker', env);
    await worker.waitForLog((line) => line.message === 'worker started');

    sweep = await runCli(env, ['sync', '--all', '--wait']);
    rows = await readRows(db);
    failedAttempts = await readFailedAttempts(prefix);
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await db?.drop();
  });

  it.each([
    [
      'github',
      'GITHUB_TOKEN is not set: create a token at https://github.com/settings/tokens (no scopes for public repositories, repo for private ones) and set GITHUB_TOKEN',
    ],
    [
      'jira',
      "JIRA_USERNAME is not set: set JIRA_USERNAME to the account's e-mail address and JIRA_TOKEN to an API token to read Jira issues",
    ],
  ] as const)('fails %s at once naming the variable', (tracker, message) => {
    const issue = UNSET_ISSUES.find(
      (candidate) => candidate.source === tracker,
    )!;
    const row = rowOf(rows, issue);
    const failure = worker.logs.filter(
      (line) => line.message === 'sync failed' && line.issueId === row.id,
    );

    expect(row.sync_status).toBe('SYNC_FAILED');
    expect(row.sync_error).toBe(message);
    expect(failedAttempts.get(row.id)).toEqual([1]);
    expect(failure.map((line) => line.kind)).toEqual(['not_configured']);
  });

  it('syncs Launchpad, which needs no credentials', () => {
    const row = rowOf(rows, UNSET_ISSUES[2]!);

    expect(row.sync_status).toBe('SYNCED');
    expect(row.title).toBe('Launchpad bug read anonymously');
    expect(sweep.stdout).toContain('done: 1 synced, 2 failed');
  });

  it('sends no request to GitHub or Jira', () => {
    const requests = requestCounts();

    expect(requests.github - requestsBefore.github).toBe(0);
    expect(requests.jira - requestsBefore.jira).toBe(0);
    expect(requests.launchpad - requestsBefore.launchpad).toBe(2);
  });

  it('logs no unhandled error and exits cleanly', async () => {
    const crashes = [...worker.text, sweep.stdout, sweep.stderr].filter(
      (text) => CRASH_PATTERN.test(text),
    );

    expect(crashes).toEqual([]);
    expect(await isRunning(worker)).toBe(true);
    expect(await worker.stop()).toBe(0);
  });
});
