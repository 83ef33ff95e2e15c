import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '@issue-sync/tracker-sim';
import {
  AppProcess,
  createTestDatabase,
  runCli,
  uniquePrefix,
  type TestDatabase,
} from '@issue-sync/test-support';
import { appEnvironment } from './environment';

describe('credential reload', () => {
  let db: TestDatabase;
  let sim: Simulator;
  let worker: AppProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('reload');
    sim = await startSimulator({
      issues: [
        {
          source: 'jira',
          project: 'DEMO',
          key: '7',
          title: 'Rotate me',
          status: 'To Do',
          statusCategory: 'new',
          labels: [],
        },
      ],
      jiraUser: { username: 'ops@example.com', token: 'new-jira-token-5678' },
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await sim.close();
    await db.drop();
  });

  it('uses a rotated token without a restart', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'reload-'));
    const file = path.join(dir, 'issue-sync.yaml');
    const writeToken = async (token: string): Promise<void> => {
      await writeFile(
        file,
        `issue-sync:\n  jira_username: ops@example.com\n  jira_token: ${token}\n`,
      );
      await chmod(file, 0o600);
    };
    await writeToken('old-jira-token-1234');
    const env = appEnvironment(db.url, uniquePrefix('reload'), sim, {
      ISSUE_SYNC_CONFIG: file,
      SYNC_RETRY_ATTEMPTS: '1',
    });
    delete env.JIRA_USERNAME;
    delete env.JIRA_TOKEN;
    const url = `${sim.jiraBaseUrl}/browse/DEMO-7`;
    expect((await runCli(env, ['add', url])).code).toBe(0);
    worker = new AppProcess('worker', env);
    await worker.waitForLog((line) => line.message === 'worker started');

    const before = await runCli(env, ['sync', url, '--wait']);
    expect(before.code).toBe(1);
    const [failed] = await db.query<{
      sync_status: string;
      sync_error: string;
    }>('SELECT sync_status, sync_error FROM issue');
    expect(failed!.sync_status).toBe('SYNC_FAILED');
    expect(failed!.sync_error).toMatch(/^401 Unauthorized from Jira at /);

    await writeToken('new-jira-token-5678');
    const reloaded = await worker.waitForLog(
      (line) =>
        line.message ===
        'configuration file changed; tracker settings reloaded',
    );
    expect(reloaded.trackers).toEqual(['jira']);

    const after = await runCli(env, ['sync', url, '--wait']);
    expect(after.stdout).toContain('done: 1 synced, 0 failed');
    const [synced] = await db.query<{ sync_status: string; title: string }>(
      'SELECT sync_status, title FROM issue',
    );
    expect(synced).toEqual({ sync_status: 'SYNCED', title: 'Rotate me' });
    const output = worker.text.join('\n');
    expect(output).not.toContain('old-jira-token-1234');
    expect(output).not.toContain('new-jira-token-5678');
  });
});
