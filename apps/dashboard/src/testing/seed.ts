import { UnrecoverableError, Worker, type Job } from 'bullmq';
import {
  recordSyncFailure,
  recordSyncSuccess,
  registerIssue,
  type Issue,
} from '@issue-sync/db';
import {
  SWEEP_JOB,
  SWEEP_JOB_OPTIONS,
  SWEEP_QUEUE,
  SYNC_QUEUES,
  createRedisConnection,
  enqueueSyncJobs,
  type SweepJobResult,
} from '@issue-sync/queue';
import type { IssueRef, IssueSource } from '@issue-sync/tracker-core';
import type { TestEnvironment } from './test-environment';

/** Registers an issue and returns its row. */
export async function addIssue(
  env: TestEnvironment,
  ref: IssueRef,
): Promise<Issue> {
  return (await registerIssue(env.db, ref)).issue;
}

/** Registers an issue and records a successful sync of it. */
export async function addSyncedIssue(
  env: TestEnvironment,
  ref: IssueRef,
  at: Date,
  snapshot: { title?: string; status?: 'OPEN' | 'CLOSED' } = {},
): Promise<Issue> {
  const issue = await addIssue(env, ref);
  await recordSyncSuccess(
    env.db,
    issue.id,
    {
      title: snapshot.title ?? `Issue ${ref.key}`,
      status: snapshot.status ?? 'OPEN',
      trackerStatus: snapshot.status ?? 'OPEN',
      labels: [],
    },
    at,
  );

  return issue;
}

/** Registers an issue and records a failed sync of it, with no job. */
export async function addFailedIssue(
  env: TestEnvironment,
  ref: IssueRef,
  message: string,
  at: Date,
): Promise<Issue> {
  const issue = await addIssue(env, ref);
  await recordSyncFailure(env.db, issue.id, message, at);

  return issue;
}

async function runWorker<Data, Result>(
  env: TestEnvironment,
  queueName: string,
  processor: (job: Job<Data, Result>) => Promise<Result>,
  expected: number,
): Promise<Job<Data, Result>[]> {
  const connection = createRedisConnection(env.config.redisUrl, 'worker');
  const finished: Job<Data, Result>[] = [];
  const worker = new Worker<Data, Result>(queueName, processor, {
    connection,
    prefix: env.config.queuePrefix,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const onFinished = (job: Job<Data, Result> | undefined): void => {
        if (job !== undefined) {
          finished.push(job);
        }
        if (finished.length === expected) {
          resolve();
        }
      };
      worker.on('failed', onFinished);
      worker.on('completed', onFinished);
      worker.on('error', reject);
    });
  } finally {
    await worker.close();
    connection.disconnect();
  }

  return finished;
}

/**
 * Adds one sync job per issue and fails each with UnrecoverableError and
 * its message, through a real BullMQ worker, then records the failure on
 * the issue as the worker app does.
 *
 * @returns the failed job ids by issue id
 */
export async function failSyncJobs(
  env: TestEnvironment,
  source: IssueSource,
  messages: ReadonlyMap<number, string>,
  at: Date,
): Promise<Map<number, string>> {
  await enqueueSyncJobs(
    env.queues,
    [...messages.keys()].map((id) => ({ id, source })),
    {
      attempts: 1,
      backoffMs: 1000,
      failedKeepCount: 1000,
      failedKeepAgeSec: 3600,
    },
  );
  const jobs = await runWorker<{ issueId: number }, unknown>(
    env,
    SYNC_QUEUES[source],
    async (job) => {
      throw new UnrecoverableError(messages.get(job.data.issueId) ?? 'failed');
    },
    messages.size,
  );
  for (const [issueId, message] of messages) {
    await recordSyncFailure(env.db, issueId, message, at);
  }

  return new Map(jobs.map((job) => [job.data.issueId, String(job.id)]));
}

/** Runs one sweep job to completion with the given result. */
export async function completeSweep(
  env: TestEnvironment,
  result: SweepJobResult,
): Promise<Job> {
  await env.queues.sweep.add(
    SWEEP_JOB,
    { trigger: 'manual' },
    SWEEP_JOB_OPTIONS,
  );
  const [job] = await runWorker<unknown, SweepJobResult>(
    env,
    SWEEP_QUEUE,
    async () => result,
    1,
  );

  return job!;
}
