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

/** The part of a winston logger adapters use; adapters never build their own. */
export interface AdapterLogger {
  debug(message: string, meta?: Record<string, unknown>): unknown;
  info(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
}

/** Options every adapter factory accepts besides its tracker's own. */
export interface AdapterOptions {
  /** Connect plus response time of one HTTP request. */
  timeoutMs: number;
  /** Gather calls arriving within this window into one batch request. */
  batchWindowMs: number;
  /** Most issues in one batch request (1 to 100). */
  batchSize: number;
  /** Bodies larger than this fail with kind invalid_response. */
  maxResponseBytes: number;
  /** Sent as User-Agent, such as "issue-sync/0.1.0". */
  userAgent: string;
  observer?: AdapterObserver;
  logger?: AdapterLogger;
}
