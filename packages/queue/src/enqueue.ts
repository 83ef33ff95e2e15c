import type { Redis } from 'ioredis';
import type { IssueSource } from '@issue-sync/tracker-core';
import type { QueueSet, SyncQueue } from './queues';
import { SYNC_JOB, syncDeduplicationId } from './names';
import { syncJobOptions, type RetryPolicyOptions } from './retry-policy';

export interface EnqueueResult {
  added: number;
  skipped: number;
}

/**
 * Adds one sync job per issue in a single addBulk per tracker queue. An issue
 * that already has a pending job is skipped by BullMQ's deduplication.
 */
export async function enqueueSyncJobs(
  queues: QueueSet,
  issues: ReadonlyArray<{ id: number; source: IssueSource }>,
  policy: RetryPolicyOptions,
): Promise<EnqueueResult> {
  const bySource = new Map<IssueSource, number[]>();
  for (const issue of issues) {
    const ids = bySource.get(issue.source) ?? [];
    ids.push(issue.id);
    bySource.set(issue.source, ids);
  }
  const options = syncJobOptions(policy);
  let added = 0;
  for (const [source, ids] of bySource) {
    const queue = queues.sync[source];
    const before = await readJobCounter(queues.connection, queue);
    const jobs = await queue.addBulk(
      ids.map((issueId) => ({
        name: SYNC_JOB,
        data: { issueId },
        opts: {
          ...options,
          deduplication: { id: syncDeduplicationId(issueId) },
        },
      })),
    );
    added += jobs.filter((job) => Number(job.id) > before).length;
  }

  return { added, skipped: issues.length - added };
}

/*
 * addBulk returns the pending job in place of a deduplicated one, with no
 * flag. Job ids come from a counter that only grows, so ids at or below the
 * counter's value before the call are the pending jobs that were kept.
 */
async function readJobCounter(redis: Redis, queue: SyncQueue): Promise<number> {
  const value = await redis.get(queue.keys.id!);

  return value === null ? 0 : Number(value);
}
