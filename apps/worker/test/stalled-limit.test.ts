import { startSimulator, type Simulator } from '@issue-sync/tracker-sim';
import {
  AppProcess,
  createTestDatabase,
  runCli,
  uniquePrefix,
  type TestDatabase,
} from '@issue-sync/test-support';
import { appEnvironment } from './environment';
import { waitUntil } from './wait';

describe('stalled job limit', () => {
  let db: TestDatabase;
  let sim: Simulator;
  const workers: AppProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('stalled');
    sim = await startSimulator({
      issues: [
        {
          source: 'launchpad',
          project: 'ubuntu',
          key: '400001',
          title: 'Crashes its worker',
          status: 'New',
          target: 'ubuntu',
          labels: [],
          // Every read hangs, so each worker dies with the job active.
          fault: { delayMs: 60_000 },
        },
      ],
    });
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await sim.close();
    await db.drop();
  });

  it('records a job whose workers keep dying', async () => {
    const env = appEnvironment(db.url, uniquePrefix('stalled'), sim, {
      WORKER_LOCK_DURATION_MS: '1500',
      TRACKER_TIMEOUT_MS: '120000',
    });
    const url = 'https://bugs.launchpad.net/ubuntu/+bug/400001';
    expect((await runCli(env, ['add', url])).code).toBe(0);
    expect((await runCli(env, ['sync', url])).code).toBe(0);

    // Three workers in turn take the job and are killed while it runs.
    for (let round = 1; round <= 3; round += 1) {
      const worker = new AppProcess('worker', env);
      workers.push(worker);
      await waitUntil(`round ${round} to reach the simulator`, () =>
        sim.stats().launchpad.requests >= round * 2 ? true : undefined,
      );
      worker.kill('SIGKILL');
      await worker.exited;
    }
    const last = new AppProcess('worker', env);
    workers.push(last);

    const line = await last.waitForLog(
      (entry) => entry.message === 'sync failed: job stalled too often',
    );
    expect(line.issueId).toBe(1);
    const [row] = await db.query<{ sync_status: string; sync_error: string }>(
      'SELECT sync_status, sync_error FROM issue',
    );
    expect(row).toEqual({
      sync_status: 'SYNC_FAILED',
      sync_error:
        'the worker running this sync stopped responding more than twice (crash or out of memory?): check the worker logs',
    });
  });
});
