import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import {
  getIssue,
  recordSyncFailure,
  recordSyncSuccess,
  type Database,
  type Issue,
} from '@issue-sync/db';
import type { Logger } from '@issue-sync/logger';
import {
  decideFailure,
  type FailureDecision,
  type QueueSet,
  type SyncJobData,
  type SyncJobResult,
} from '@issue-sync/queue';
import {
  isTrackerError,
  type IssueSource,
  type TrackerAdapter,
} from '@issue-sync/tracker-core';
import type { WorkerMetrics } from './metrics';
import { Throttle } from './throttle';

export interface SyncProcessorOptions {
  db: Database;
  queues: QueueSet;
  adapters: Record<IssueSource, TrackerAdapter>;
  logger: Logger;
  metrics: WorkerMetrics;
  /** Scrubs secrets from text before it is stored or thrown. */
  redact: (text: string) => string;
  /** SYNC_RATE_LIMIT_MAX_WAIT_MS */
  rateLimitMaxWaitMs: number;
  now?: () => Date;
}

type SyncJob = Job<SyncJobData, SyncJobResult, string>;

/** Longest pause before a job retries after the database failed it. */
const MAX_DATABASE_DELAY_MS = 60_000;

/**
 * Creates the processor of one tracker's sync queue: load the issue, fetch
 * its snapshot, store the outcome. Tracker failures follow the retry
 * policy; database failures put the job back for later without spending an
 * attempt, so an outage loses no issue.
 */
export function createSyncProcessor(
  source: IssueSource,
  options: SyncProcessorOptions,
): (job: SyncJob, token?: string) => Promise<SyncJobResult> {
  const now = options.now ?? (() => new Date());
  const databaseWarnings = new Throttle(10_000);

  const delayForDatabase = async (
    job: SyncJob,
    token: string | undefined,
    err: unknown,
  ): Promise<never> => {
    const retries = (job.data.databaseRetries ?? 0) + 1;
    const delayMs = Math.min(
      1_000 * 2 ** Math.min(retries, 6),
      MAX_DATABASE_DELAY_MS,
    );
    const suppressed = databaseWarnings.take();
    if (suppressed !== undefined) {
      options.logger.warn('database unavailable; sync job postponed', {
        queue: job.queueName,
        jobId: job.id,
        issueId: job.data.issueId,
        delayMs,
        similarSuppressed: suppressed,
        err,
      });
    }
    await job.updateData({ ...job.data, databaseRetries: retries });
    await job.moveToDelayed(Date.now() + delayMs, token);
    throw new DelayedError();
  };

  return async (job, token) => {
    const started = Date.now();
    const log = options.logger.child({
      queue: job.queueName,
      jobId: job.id,
      issueId: job.data.issueId,
      tracker: source,
    });
    let issue: Issue | null;
    try {
      issue = await getIssue(options.db, job.data.issueId);
    } catch (err) {
      return delayForDatabase(job, token, err);
    }
    if (issue === null) {
      log.info('issue no longer exists; sync job skipped');
      options.metrics.syncs.labels(source, 'missing').inc();
      return { outcome: 'missing' };
    }
    const ref = {
      source: issue.source,
      project: issue.project,
      key: issue.key,
    };
    const issueKey = `${ref.project}#${ref.key}`;

    // BullMQ wakes a rate-limited worker at least every 30 s
    // (maximumRateLimitDelay), so a job may start while the tracker's reset
    // time is still ahead: put it back without calling the tracker.
    const limitTtl = await options.queues.sync[source].getRateLimitTtl();
    if (limitTtl > 0) {
      throw Worker.RateLimitError();
    }

    let snapshot;
    try {
      snapshot = await options.adapters[source].fetchIssue(ref);
    } catch (err) {
      return handleFetchFailure(job, token, err, {
        ...options,
        source,
        now,
        log: log.child({ issueKey }),
        delayForDatabase,
      });
    }

    let stored: boolean;
    try {
      stored = await recordSyncSuccess(options.db, issue.id, snapshot, now());
    } catch (err) {
      return delayForDatabase(job, token, err);
    }
    const durationMs = Date.now() - started;
    options.metrics.syncDuration.labels(source).observe(durationMs / 1000);
    if (!stored) {
      log.info('issue deleted while it synced; result dropped', { issueKey });
      options.metrics.syncs.labels(source, 'missing').inc();
      return { outcome: 'missing' };
    }
    options.metrics.syncs.labels(source, 'synced').inc();
    log.debug('issue synced', {
      issueKey,
      durationMs,
      status: snapshot.status,
    });

    return { outcome: 'synced' };
  };
}

interface FailureContext extends SyncProcessorOptions {
  source: IssueSource;
  now: () => Date;
  log: Logger;
  delayForDatabase: (
    job: SyncJob,
    token: string | undefined,
    err: unknown,
  ) => Promise<never>;
}

async function handleFetchFailure(
  job: SyncJob,
  token: string | undefined,
  err: unknown,
  context: FailureContext,
): Promise<never> {
  const attempts = job.opts.attempts ?? 1;
  const attempt = job.attemptsMade + 1;
  // An error that is not a TrackerError is a bug, not a tracker outage, so
  // retrying it would only repeat it: fail at once.
  const error = isTrackerError(err) ? err : undefined;
  const message = context.redact(
    error?.message ??
      `internal error while syncing: ${describe(err)}; report this as a bug`,
  );
  let decision: FailureDecision =
    error === undefined
      ? { action: 'fail' }
      : decideFailure(
          error.kind,
          job.attemptsMade,
          attempts,
          error.retryAfterMs,
        );
  const tracker = error?.tracker ?? context.source;
  let finalMessage =
    attempts > 1 && attempt > 1
      ? `${message} (after ${attempt} attempts)`
      : message;

  if (decision.action === 'wait' && error !== undefined) {
    // Count the time really waited since the first limit, not the sum of
    // announced delays: a worker may run the job again before a long
    // reset time has passed.
    const since = job.data.rateLimitedSince ?? Date.now();
    const waitedMs = Date.now() - since + decision.delayMs;
    if (waitedMs <= context.rateLimitMaxWaitMs) {
      context.log.warn('tracker rate limit reached; queue paused', {
        attempt,
        delayMs: decision.delayMs,
        waitedMs,
        err: error,
      });
      context.metrics.syncs.labels(tracker, 'rate_limited').inc();
      await job.updateData({ ...job.data, rateLimitedSince: since });
      await context.queues.sync[tracker].rateLimit(decision.delayMs);
      throw Worker.RateLimitError();
    }
    decision = { action: 'fail' };
    finalMessage = `${message} (still rate limited after waiting ${Math.round(waitedMs / 1000)} s in all)`;
  }

  if (decision.action === 'retry') {
    context.log.warn('tracker call failed; will retry', {
      attempt,
      attempts,
      kind: error?.kind,
      err,
    });
    context.metrics.syncs.labels(tracker, 'retry').inc();
    throw new Error(message);
  }

  try {
    await recordSyncFailure(
      context.db,
      job.data.issueId,
      finalMessage,
      context.now(),
    );
  } catch (err) {
    return context.delayForDatabase(job, token, err);
  }
  context.log.error('sync failed', {
    attempt,
    attempts,
    kind: error?.kind,
    err,
  });
  context.metrics.syncs.labels(tracker, 'failed').inc();
  throw new UnrecoverableError(finalMessage);
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
