import { Redis } from 'ioredis';
import { createQueues, type QueueSet } from './queues';
import { createRedisConnection } from './connection';
import { enqueueSyncJobs } from './enqueue';
import { upsertSweepSchedule } from './schedule';
import { SWEEP_SCHEDULER_ID } from './names';

const policy = {
  attempts: 3,
  backoffMs: 100,
  failedKeepCount: 10,
  failedKeepAgeSec: 60,
};

describe('queues on Redis', () => {
  let connection: Redis;
  let queues: QueueSet;
  const prefix = `test-queue-${process.pid}-${Date.now()}`;

  beforeEach(() => {
    connection = createRedisConnection('redis://127.0.0.1:6379', 'worker');
    queues = createQueues({ connection, prefix, onError: () => undefined });
  });
  afterEach(async () => {
    await Promise.all(
      queues.all().map((queue) => queue.obliterate({ force: true })),
    );
    await queues.close();
    connection.disconnect();
  });

  it('deduplicates pending sync jobs per issue', async () => {
    const first = await enqueueSyncJobs(
      queues,
      [
        { id: 1, source: 'GITHUB' },
        { id: 2, source: 'GITHUB' },
        { id: 3, source: 'JIRA' },
      ],
      policy,
    );
    expect(first).toEqual({ added: 3, skipped: 0 });

    const second = await enqueueSyncJobs(
      queues,
      [
        { id: 1, source: 'GITHUB' },
        { id: 4, source: 'GITHUB' },
        { id: 3, source: 'JIRA' },
        { id: 5, source: 'LAUNCHPAD' },
      ],
      policy,
    );
    expect(second).toEqual({ added: 2, skipped: 2 });
    expect(await queues.sync.GITHUB.getWaitingCount()).toBe(3);
    expect(await queues.sync.JIRA.getWaitingCount()).toBe(1);
    expect(await queues.sync.LAUNCHPAD.getWaitingCount()).toBe(1);
  });

  it('keeps one schedule across repeated upserts', async () => {
    const first = await upsertSweepSchedule(queues.sweep, 60_000);
    const again = await upsertSweepSchedule(queues.sweep, 60_000);
    const other = createQueues({
      connection,
      prefix,
      onError: () => undefined,
    });
    const third = await upsertSweepSchedule(other.sweep, 60_000);
    await other.close();

    expect(first.changed).toBe(true);
    expect(again).toEqual({ changed: false, nextRunAt: first.nextRunAt });
    expect(third).toEqual({ changed: false, nextRunAt: first.nextRunAt });
    expect(await queues.sweep.getJobSchedulersCount()).toBe(1);
    const jobs = await queues.sweep.getJobs(['waiting', 'delayed']);
    expect(jobs).toHaveLength(1);
  });

  it('replaces the schedule when the interval changes', async () => {
    await upsertSweepSchedule(queues.sweep, 60_000);
    const changed = await upsertSweepSchedule(queues.sweep, 30_000);

    expect(changed.changed).toBe(true);
    expect(await queues.sweep.getJobSchedulersCount()).toBe(1);
    const scheduler = await queues.sweep.getJobScheduler(SWEEP_SCHEDULER_ID);
    expect(Number(scheduler?.every)).toBe(30_000);
    const jobs = await queues.sweep.getJobs(['waiting', 'delayed']);
    expect(jobs).toHaveLength(1);
  });
});
