export { createDatabase } from './client';
export type { Database, DatabaseOptions } from './client';
export {
  ISSUE_STATUSES,
  SYNC_STATUSES,
  countBySyncStatus,
  countIssues,
  deleteIssue,
  findIssueByRef,
  getIssue,
  listFailingIssues,
  listFailuresSince,
  listIssues,
  pageIssueIds,
  readSyncProgress,
  recordSyncFailure,
  recordSyncSuccess,
  registerIssue,
  upsertIssues,
} from './issue-repository';
export type {
  FailingCursor,
  FailingIssuePage,
  Issue,
  IssueFilter,
  IssueIdRow,
  IssuePage,
  IssueStatus,
  SyncCount,
  SyncProgress,
  SyncStatus,
  UpsertResult,
} from './issue-repository';
export { MigrationError, migrate } from './migrate';
export type { MigrateOptions, MigrateResult, MigrationLogger } from './migrate';
export { defaultMigrationsDir } from './paths';
