export { ISSUE_SOURCES } from './issue-ref';
export type { IssueRef, IssueSource } from './issue-ref';
export type { IssueSnapshot, IssueStatus } from './snapshot';
export { TRACKER_ERROR_KINDS, TrackerError, isTrackerError } from './tracker-error';
export type { TrackerErrorKind, TrackerErrorOptions } from './tracker-error';
export type {
  AdapterLogger,
  AdapterObserver,
  AdapterOptions,
  CredentialReport,
  TrackerAdapter,
} from './adapter';
export { createBatchLoader } from './batch-loader';
export type { BatchLoaderOptions } from './batch-loader';
