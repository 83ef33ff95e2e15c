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
export { createHttpClient } from './http-client';
export type { HttpClient, HttpClientOptions } from './http-client';
export {
  classifyHttpError,
  classifyHttpStatus,
  describeTracker,
  readHeader,
  readRetryAfterMs,
  toDisplayUrl,
  toTrackerName,
} from './http-errors';
export type { HttpErrorContext, HttpResponseLike } from './http-errors';
export { parseJsonBody, sendTrackerRequest } from './http-request';
export type { TrackerRequestContext } from './http-request';
export {
  IssueUrlError,
  MAX_ISSUE_URL_LENGTH,
  formatIssueUrl,
  parseIssueUrl,
} from './issue-url';
export type { IssueUrlOptions } from './issue-url';
export { MAX_ISSUE_NUMBER, checkIssueRef } from './issue-url-rules';
