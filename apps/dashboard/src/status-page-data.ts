import {
  SYNC_STATUSES,
  countBySyncStatus,
  type Database,
  type SyncStatus,
} from '@issue-sync/db';
import { SYNC_QUEUES, type QueueSet } from '@issue-sync/queue';
import { ISSUE_SOURCES, type IssueSource } from '@issue-sync/tracker-core';
import { describeFailure } from './describe-failure';
import { findFailedJobIds } from './failed-jobs';
import { formatFailingCursor, type FailingCursor } from './failing-issues';
import { listFailingIssues } from '@issue-sync/db';
import { issueUrl } from './issue-links';
import { readSweepInfo, type SweepInfo } from './sweep-info';
import { REDIS_READ_TIMEOUT_MS, withTimeLimit } from './time-limit';

/** A section of the page, or why it could not be read. */
export type Section<T> = { ok: true; value: T } | { ok: false; error: string };

export interface TrackerCounts {
  source: IssueSource;
  counts: Record<SyncStatus, number>;
  total: number;
}

export interface QueueDepth {
  name: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  boardHref: string;
}

export interface FailingRow {
  id: number;
  source: IssueSource;
  reference: string;
  url: string;
  title: string;
  syncError: string;
  lastAttemptedAt: Date | null;
  lastSyncedAt: Date | null;
  /** The issue's failed job on the board, or the queue's failed tab. */
  job: { href: string; label: string };
}

export interface FailingSection {
  rows: FailingRow[];
  isFirstPage: boolean;
  nextHref?: string;
}

/** Everything the status page shows, read fresh for each request. */
export interface StatusPageData {
  now: Date;
  readOnly: boolean;
  paths: { statusPage: string; board: string; metrics: string };
  trackers: Section<TrackerCounts[]>;
  sweep: Section<SweepInfo>;
  queues: Section<QueueDepth[]>;
  failing: Section<FailingSection>;
}

export interface StatusPageSources {
  db: Database;
  queues: QueueSet;
  jiraBaseUrl: string;
  readOnly: boolean;
  /** Path of the status page, such as /issue-sync/. */
  statusPagePath: string;
  /** Path of the board, such as /issue-sync/queues. */
  boardPath: string;
  metricsPath: string;
  pageSize: number;
  failedJobScanLimit: number;
  onError: (section: string, error: unknown) => void;
}

async function section<T>(
  name: string,
  component: string,
  read: () => Promise<T>,
  onError: StatusPageSources['onError'],
): Promise<Section<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    onError(name, error);
    return { ok: false, error: describeFailure(component, error) };
  }
}

/** Path of a queue's tab on the board, such as the failed jobs of sync-jira. */
export function boardQueueHref(
  boardPath: string,
  queue: string,
  status?: string,
): string {
  const path = `${boardPath}/queue/${encodeURIComponent(queue)}`;

  return status === undefined ? path : `${path}?status=${status}`;
}

async function readTrackers(db: Database): Promise<TrackerCounts[]> {
  // One grouped query over the (sync_status, source) index, not one count
  // per pair.
  const rows = await countBySyncStatus(db);

  return ISSUE_SOURCES.map((source) => {
    const counts = Object.fromEntries(
      SYNC_STATUSES.map((status) => [
        status,
        rows.find((row) => row.source === source && row.syncStatus === status)
          ?.count ?? 0,
      ]),
    ) as Record<SyncStatus, number>;
    const total = Object.values(counts).reduce((sum, count) => sum + count, 0);

    return { source, counts, total };
  });
}

async function readQueueDepths(
  queues: QueueSet,
  boardPath: string,
): Promise<QueueDepth[]> {
  return Promise.all(
    queues.all().map(async (queue) => {
      const counts = await queue.getJobCounts(
        'waiting',
        'prioritized',
        'active',
        'delayed',
        'failed',
      );

      return {
        name: queue.name,
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
        boardHref: boardQueueHref(boardPath, queue.name),
      };
    }),
  );
}

async function readFailing(
  sources: StatusPageSources,
  after: FailingCursor | undefined,
): Promise<FailingSection> {
  const page = await listFailingIssues(sources.db, {
    after,
    limit: sources.pageSize,
  });

  let jobIds = new Map<number, string>();
  try {
    jobIds = await withTimeLimit(
      findFailedJobIds(sources.queues, page.issues, sources.failedJobScanLimit),
      REDIS_READ_TIMEOUT_MS,
    );
  } catch (error) {
    // Without Redis every row links to its queue's failed tab instead.
    sources.onError('failed jobs', error);
  }

  const rows = page.issues.map((issue): FailingRow => {
    const queue = SYNC_QUEUES[issue.source];
    const jobId = jobIds.get(issue.id);

    return {
      id: issue.id,
      source: issue.source,
      reference: `${issue.project} ${issue.key}`,
      url: issueUrl(issue, sources.jiraBaseUrl),
      title: issue.title,
      syncError: issue.syncError ?? '',
      lastAttemptedAt: issue.lastAttemptedAt,
      lastSyncedAt: issue.lastSyncedAt,
      job:
        jobId === undefined
          ? {
              href: boardQueueHref(sources.boardPath, queue, 'failed'),
              label: `failed jobs of ${queue}`,
            }
          : {
              href: `${boardQueueHref(sources.boardPath, queue)}/${encodeURIComponent(jobId)}`,
              label: `job ${jobId}`,
            },
    };
  });

  return {
    rows,
    isFirstPage: after === undefined,
    nextHref:
      page.next === undefined
        ? undefined
        : `${sources.statusPagePath}?after=${formatFailingCursor(page.next)}`,
  };
}

/**
 * Reads every section of the status page. A failing component fails only
 * its sections, so the page still shows what Redis or PostgreSQL can give.
 */
export async function readStatusPageData(
  sources: StatusPageSources,
  after: FailingCursor | undefined,
): Promise<StatusPageData> {
  const { onError } = sources;
  const [trackers, sweep, queues, failing] = await Promise.all([
    section(
      'tracker counts',
      'PostgreSQL',
      () => readTrackers(sources.db),
      onError,
    ),
    section(
      'sweep',
      'Redis',
      () =>
        withTimeLimit(
          readSweepInfo(sources.queues.sweep),
          REDIS_READ_TIMEOUT_MS,
        ),
      onError,
    ),
    section(
      'queues',
      'Redis',
      () =>
        withTimeLimit(
          readQueueDepths(sources.queues, sources.boardPath),
          REDIS_READ_TIMEOUT_MS,
        ),
      onError,
    ),
    section(
      'failing issues',
      'PostgreSQL',
      () => readFailing(sources, after),
      onError,
    ),
  ]);

  return {
    now: new Date(),
    readOnly: sources.readOnly,
    paths: {
      statusPage: sources.statusPagePath,
      board: sources.boardPath,
      metrics: sources.metricsPath,
    },
    trackers,
    sweep,
    queues,
    failing,
  };
}
