import type { IssueRef, IssueSource } from './issue-ref';
import type { IssueSnapshot } from './snapshot';

/** Result of a credential check against one tracker, for `issue-sync doctor`. */
export interface CredentialReport {
  ok: boolean;
  /** One line an operator reads, such as "token of octocat, scopes: repo". */
  summary: string;
  /** Advice lines, such as a token with more scopes than needed. */
  warnings: string[];
}

/**
 * Reads issues from one tracker. Implementations throw TrackerError for
 * every failure they can classify and know nothing of queues or databases.
 */
export interface TrackerAdapter {
  readonly source: IssueSource;
  /** Fetches one issue. Concurrent calls may be sent as one batch request. */
  fetchIssue(ref: IssueRef): Promise<IssueSnapshot>;
  /** Makes one real request that proves the configured credentials work. */
  checkCredentials(): Promise<CredentialReport>;
  /** Releases sockets and timers. */
  close(): Promise<void>;
}

/** Receives request timings and batch sizes; the worker turns them into metrics. */
export interface AdapterObserver {
  onRequest?(event: {
    tracker: IssueSource;
    endpoint: string;
    durationMs: number;
    httpStatus?: number;
    errorKind?: string;
  }): void;
  onBatch?(event: { tracker: IssueSource; size: number }): void;
}
