import { startSimulator, type Simulator } from '@issue-sync/tracker-sim';
import {
  AppProcess,
  createTestDatabase,
  runCli,
  uniquePrefix,
  type TestDatabase,
} from '@issue-sync/test-support';
import { appEnvironment } from './environment';

describe('limits', () => {
  let db: TestDatabase;
  let sim: Simulator;
  let worker: AppProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('limits');
    sim = await startSimulator({
      issues: [
        {
          source: 'launchpad',
          project: 'ubuntu',
          key: '300001',
          title: 'Busy',
          status: 'New',
          target: 'ubuntu',
          labels: [],
        },
      ],
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await sim.close();
    await db.drop();
  });

  it('fails a job rate limited past the cap', async () => {
    const env = appEnvironment(db.url, uniquePrefix('cap'), sim, {
      SYNC_RATE_LIMIT_MAX_WAIT_MS: '2500',
    });
    sim.setFaults({
      faults: [
        {
          source: 'launchpad',
          project: 'ubuntu',
          key: '300001',
          fault: { status: 429, retryAfterSec: 1 },
        },
      ],
    });
    const url = 'https://bugs.launchpad.net/ubuntu/+bug/300001';
    expect((await runCli(env, ['add', url])).code).toBe(0);
    worker = new AppProcess('worker', env);
    await worker.waitForLog((line) => line.message === 'worker started');

    const result = await runCli(env, ['sync', url, '--wait']);

    expect(result.code).toBe(1);
    const [row] = await db.query<{ sync_status: string; sync_error: string }>(
      'SELECT sync_status, sync_error FROM issue',
    );
    expect(row!.sync_status).toBe('SYNC_FAILED');
    expect(row!.sync_error).toBe(
      `429 Too Many Requests from Launchpad at ${sim.launchpadApiUrl}: rate limit reached, retry after 1 s (still rate limited after waiting 3 s in all)`,
    );
    // Two waits of 1 s fit in the 2.5 s cap; the third would not.
    const pauses = worker.logs.filter(
      (line) => line.message === 'tracker rate limit reached; queue paused',
    );
    expect(pauses).toHaveLength(2);
  });

  it('fails fast when Redis is unreachable', async () => {
    const env = appEnvironment(db.url, uniquePrefix('down'), sim, {
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    const result = await runCli(env, ['sync', '--all']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'error: Redis did not answer within 5000 ms: check REDIS_URL and that Redis is running',
    );
  });

  it('explains a failed credential check', async () => {
    const checked = await startSimulator({
      issues: [],
      githubToken: 'ghp_rightTokenValue1234',
      jiraUser: { username: 'ops@example.com', token: 'right-jira-token-1234' },
    });
    try {
      const env = appEnvironment(db.url, uniquePrefix('doctor'), checked, {
        GITHUB_TOKEN: 'ghp_wrongTokenValue9876',
        JIRA_TOKEN: 'wrong-jira-token-9876',
      });

      const result = await runCli(env, ['doctor']);

      expect(result.code).toBe(1);
      const lines = result.stdout.split('\n');
      expect(lines[0]).toBe('ok    Redis: answers');
      expect(lines[1]).toBe('ok    PostgreSQL: answers, 2 migrations applied');
      expect(
        lines.find((line) => line.startsWith('FAIL  GitHub: ')),
      ).toBeDefined();
      expect(
        lines.find((line) => line.startsWith('FAIL  Jira: ')),
      ).toBeDefined();
      expect(
        lines.find((line) => line.startsWith('ok    Launchpad: ')),
      ).toBeDefined();
      expect(lines[lines.length - 2]).toBe('2 checks failed');
      expect(result.stdout).not.toContain('wrongTokenValue');
      expect(result.stdout).not.toContain('wrong-jira-token');
    } finally {
      await checked.close();
    }
  });
});
