import type { JobsOptions } from 'bullmq';
import type { TrackerErrorKind } from '@issue-sync/tracker-core';

export interface RetryPolicyOptions {
  /** SYNC_RETRY_ATTEMPTS: attempts per job, counting the first run. */
  attempts: number;
  /** SYNC_RETRY_BACKOFF_MS: base delay of the exponential backoff. */
  backoffMs: number;
  /** Failed jobs kept per queue for inspection. */
  failedKeepCount: number;
  /** Seconds a failed job is kept. */
  failedKeepAgeSec: number;
}

/** A wrong-shaped answer rarely fixes itself; give it at most this many runs. */
const INVALID_RESPONSE_MAX_ATTEMPTS = 3;

/**
 * Options of every sync job. Completed jobs are removed at once and failed
 * ones kept for a bounded age and count, so Redis memory stays flat.
 */
export function syncJobOptions(policy: RetryPolicyOptions): JobsOptions {
  return {
    attempts: policy.attempts,
    backoff: { type: 'exponential', delay: policy.backoffMs, jitter: 0.5 },
    removeOnComplete: true,
    removeOnFail: {
      count: policy.failedKeepCount,
      age: policy.failedKeepAgeSec,
    },
  };
}

export type FailureDecision =
  /** Throw the error so BullMQ spends an attempt and backs off. */
  | { action: 'retry' }
  /** Record SYNC_FAILED and throw UnrecoverableError. */
  | { action: 'fail' }
  /** Pause the tracker's queue for `delayMs`; the attempt is not spent. */
  | { action: 'wait'; delayMs: number };

/**
 * Maps a tracker error kind to what the worker does with the job.
 * `attemptsMade` counts the runs before this one.
 */
export function decideFailure(
  kind: TrackerErrorKind,
  attemptsMade: number,
  attempts: number,
  retryAfterMs?: number,
): FailureDecision {
  const thisAttempt = attemptsMade + 1;
  switch (kind) {
    case 'rate_limited':
      return {
        action: 'wait',
        delayMs: Math.max(retryAfterMs ?? 60_000, 1_000),
      };
    case 'not_configured':
    case 'invalid_reference':
      return { action: 'fail' };
    case 'invalid_response':
      return thisAttempt >= Math.min(attempts, INVALID_RESPONSE_MAX_ATTEMPTS)
        ? { action: 'fail' }
        : { action: 'retry' };
    case 'network':
    case 'unavailable':
    case 'unauthorized':
    case 'forbidden':
    case 'not_found':
      return thisAttempt >= attempts ? { action: 'fail' } : { action: 'retry' };
  }
}
