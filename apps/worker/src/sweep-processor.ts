import type { Job } from 'bullmq';
import { pageIssueIds, type Database } from '@issue-sync/db';
import type { Logger } from '@issue-sync/logger';
import {
  enqueueSyncJobs,
  type QueueSet,
  type RetryPolicyOptions,
  type SweepJobData,
  type SweepJobResult,
} from '@issue-sync/queue';
import type { WorkerMetrics } from './metrics';

export interface SweepProcessorOptions {
  db: Database;
  queues: QueueSet;
  logger: Logger;
  metrics: WorkerMetrics;
  /** SWEEP_PAGE_SIZE: rows read and jobs added per step. */
  pageSize: number;
  policy: RetryPolicyOptions;
}

type SweepJob = Job<SweepJobData, SweepJobResult, string>;

/**
 * Creates the sweep processor: walk the issue table by id in pages and add
 * one deduplicated sync job per issue to its tracker's queue.
 */
export function createSweepProcessor(
  options: SweepProcessorOptions,
): (job: SweepJob) => Promise<SweepJobResult> {
  return async (job) => {
    const log = options.logger.child({ queue: job.queueName, jobId: job.id });
    const started = Date.now();
    const result: SweepJobResult = {
      issues: 0,
      added: 0,
      skipped: 0,
      maxIssueId: 0,
    };
    log.info('sweep started', { trigger: job.data.trigger });
    for (;;) {
      const rows = await pageIssueIds(
        options.db,
        result.maxIssueId,
        options.pageSize,
      );
      if (rows.length === 0) {
        break;
      }
      const { added, skipped } = await enqueueSyncJobs(
        options.queues,
        rows,
        options.policy,
      );
      result.issues += rows.length;
      result.added += added;
      result.skipped += skipped;
      result.maxIssueId = rows[rows.length - 1]!.id;
      await job.updateProgress({ ...result });
    }
    options.metrics.sweepIssues.labels('added').inc(result.added);
    options.metrics.sweepIssues.labels('skipped').inc(result.skipped);
    options.metrics.lastSweep.set(Date.now() / 1000);
    log.info('sweep finished', { ...result, durationMs: Date.now() - started });

    return result;
  };
}
