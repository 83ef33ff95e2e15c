export interface SweepJobData {
  /** `schedule` for the job scheduler, `manual` for `issue-sync sync --all`. */
  trigger: 'schedule' | 'manual';
}

export interface SweepJobResult {
  /** Issue rows the sweep read. */
  issues: number;
  /** Sync jobs added. */
  added: number;
  /** Issues that already had a pending sync job. */
  skipped: number;
  /** Highest issue id the sweep reached. */
  maxIssueId: number;
}

export interface SyncJobData {
  issueId: number;
  /** When this job first met a tracker rate limit, in epoch milliseconds. */
  rateLimitedSince?: number;
  /** Times the database was unreachable while this job ran. */
  databaseRetries?: number;
}

export interface SyncJobResult {
  /** `missing` when the issue was deleted before its job ran. */
  outcome: 'synced' | 'missing';
}
