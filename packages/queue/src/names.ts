import type { IssueSource } from '@issue-sync/tracker-core';

/** Queue of sweep jobs: one per SYNC_INTERVAL, plus `issue-sync sync --all`. */
export const SWEEP_QUEUE = 'sweep';

/** Id of the one job scheduler that produces sweeps. */
export const SWEEP_SCHEDULER_ID = 'sweep-every-interval';

export const SWEEP_JOB = 'sweep';
export const SYNC_JOB = 'sync';

/** One sync queue per tracker, so one tracker's outage never stalls another. */
export const SYNC_QUEUES: Readonly<Record<IssueSource, string>> = {
  GITHUB: 'sync-github',
  JIRA: 'sync-jira',
  LAUNCHPAD: 'sync-launchpad',
};

export const ALL_QUEUES: readonly string[] = [
  SWEEP_QUEUE,
  ...Object.values(SYNC_QUEUES),
];

/**
 * Deduplication id of an issue's sync job: while one job for the issue is
 * waiting, delayed or active, adding another is a no-op.
 */
export function syncDeduplicationId(issueId: number): string {
  return `issue-${issueId}`;
}
