import type {
  IssueRef,
  IssueSnapshot,
  IssueSource,
} from '@issue-sync/tracker-core';
import type { Database } from './client';
import { Prisma } from './generated/prisma/client';
import type { Issue, IssueStatus, SyncStatus } from './generated/prisma/client';

export type { Issue, IssueStatus, SyncStatus };

export const ISSUE_STATUSES: readonly IssueStatus[] = [
  'UNKNOWN',
  'OPEN',
  'CLOSED',
];

export const SYNC_STATUSES: readonly SyncStatus[] = [
  'NEVER_SYNCED',
  'SYNCED',
  'SYNC_FAILED',
];

export interface UpsertResult {
  /** Rows inserted by this call. */
  created: number;
  /** References that were already registered and left untouched. */
  existing: number;
}

/**
 * Registers issues by (source, project, key). Existing rows keep every
 * column, sync fields included. Duplicates inside `refs` count once.
 */
export async function upsertIssues(
  db: Database,
  refs: readonly IssueRef[],
): Promise<UpsertResult> {
  if (refs.length === 0) {
    return { created: 0, existing: 0 };
  }

  const result = await db.issue.createMany({
    data: refs.map((ref) => ({
      source: ref.source,
      project: ref.project,
      key: ref.key,
    })),
    skipDuplicates: true,
  });

  return { created: result.count, existing: refs.length - result.count };
}

/** Registers one issue and returns its row and whether it was new. */
export async function registerIssue(
  db: Database,
  ref: IssueRef,
): Promise<{ issue: Issue; created: boolean }> {
  const { created } = await upsertIssues(db, [ref]);
  const issue = await findIssueByRef(db, ref);
  if (issue === null) {
    throw new Error(
      `issue ${ref.source} ${ref.project} ${ref.key} vanished right after it was registered`,
    );
  }

  return { issue, created: created === 1 };
}

export function findIssueByRef(
  db: Database,
  ref: IssueRef,
): Promise<Issue | null> {
  return db.issue.findUnique({
    where: {
      project_source_key: {
        project: ref.project,
        source: ref.source,
        key: ref.key,
      },
    },
  });
}

export function getIssue(db: Database, id: number): Promise<Issue | null> {
  return db.issue.findUnique({ where: { id } });
}

export interface IssueIdRow {
  id: number;
  source: IssueSource;
}

/**
 * Returns up to `limit` issue ids greater than `afterId`, in id order, so a
 * sweep can walk the table in pages (keyset pagination) without one query
 * for all rows.
 */
export function pageIssueIds(
  db: Database,
  afterId: number,
  limit: number,
): Promise<IssueIdRow[]> {
  return db.issue.findMany({
    where: { id: { gt: afterId } },
    orderBy: { id: 'asc' },
    take: limit,
    select: { id: true, source: true },
  });
}

/**
 * Stores a successful sync in one update. Returns false when the issue no
 * longer exists. A snapshot with `movedTo` re-keys the row, unless another
 * row already holds the new reference.
 */
export async function recordSyncSuccess(
  db: Database,
  id: number,
  snapshot: IssueSnapshot,
  at: Date,
): Promise<boolean> {
  const data: Prisma.IssueUpdateManyMutationInput = {
    title: snapshot.title,
    status: snapshot.status,
    trackerStatus: snapshot.trackerStatus,
    labels: snapshot.labels,
    syncStatus: 'SYNCED',
    syncError: null,
    lastSyncedAt: at,
    lastAttemptedAt: at,
  };
  if (snapshot.movedTo !== undefined) {
    const taken = await findIssueByRef(db, snapshot.movedTo);
    if (taken === null || taken.id === id) {
      data.project = snapshot.movedTo.project;
      data.key = snapshot.movedTo.key;
    }
  }

  try {
    const result = await db.issue.updateMany({ where: { id }, data });
    return result.count === 1;
  } catch (error) {
    // Two jobs re-keying onto the same reference at once: keep the old key.
    if (isUniqueViolation(error) && data.key !== undefined) {
      delete data.project;
      delete data.key;
      const result = await db.issue.updateMany({ where: { id }, data });
      return result.count === 1;
    }
    throw error;
  }
}

/**
 * Stores a failed sync. Title, status and last_synced_at keep their last
 * good values. Returns false when the issue no longer exists.
 */
export async function recordSyncFailure(
  db: Database,
  id: number,
  message: string,
  at: Date,
): Promise<boolean> {
  const result = await db.issue.updateMany({
    where: { id },
    data: {
      syncStatus: 'SYNC_FAILED',
      syncError: message,
      lastAttemptedAt: at,
    },
  });

  return result.count === 1;
}

export interface SyncCount {
  source: IssueSource;
  syncStatus: SyncStatus;
  count: number;
}

/** Counts issues by source and sync_status; absent pairs have no row. */
export async function countBySyncStatus(db: Database): Promise<SyncCount[]> {
  const groups = await db.issue.groupBy({
    by: ['source', 'syncStatus'],
    _count: { _all: true },
    orderBy: [{ source: 'asc' }, { syncStatus: 'asc' }],
  });

  return groups.map((group) => ({
    source: group.source,
    syncStatus: group.syncStatus,
    count: group._count._all,
  }));
}

export interface IssueFilter {
  syncStatus?: SyncStatus;
  source?: IssueSource;
  status?: IssueStatus;
  project?: string;
}

export interface IssuePage {
  /** Return rows with id greater than this (keyset paging); default 0. */
  afterId?: number;
  /** Most rows returned; default 100. */
  limit?: number;
}

/** Lists issues matching every given filter. */
export function listIssues(
  db: Database,
  filter: IssueFilter = {},
  page: IssuePage = {},
): Promise<Issue[]> {
  const where: Prisma.IssueWhereInput = {
    syncStatus: filter.syncStatus,
    source: filter.source,
    status: filter.status,
    project: filter.project,
  };
  return db.issue.findMany({
    where: { ...where, id: { gt: page.afterId ?? 0 } },
    orderBy: { id: 'asc' },
    take: page.limit ?? 100,
  });
}

/** Counts issues matching every given filter. */
export function countIssues(
  db: Database,
  filter: IssueFilter = {},
): Promise<number> {
  return db.issue.count({
    where: {
      syncStatus: filter.syncStatus,
      source: filter.source,
      status: filter.status,
      project: filter.project,
    },
  });
}

export interface SyncProgress {
  /** Issues with id <= maxId not attempted since `since`. */
  pending: number;
  /** Issues attempted since `since` whose last sync succeeded. */
  synced: number;
  /** Issues attempted since `since` whose last sync failed. */
  failed: number;
}

/**
 * Tells how far a sync of the issues with id <= `maxId` (or of `ids`) that
 * started at `since` has come, by their last_attempted_at.
 */
export async function readSyncProgress(
  db: Database,
  scope: { maxId: number } | { ids: number[] },
  since: Date,
): Promise<SyncProgress> {
  const where: Prisma.IssueWhereInput =
    'maxId' in scope ? { id: { lte: scope.maxId } } : { id: { in: scope.ids } };
  const [pending, synced, failed] = await Promise.all([
    db.issue.count({
      where: {
        ...where,
        OR: [{ lastAttemptedAt: null }, { lastAttemptedAt: { lt: since } }],
      },
    }),
    db.issue.count({
      where: {
        ...where,
        lastAttemptedAt: { gte: since },
        syncStatus: 'SYNCED',
      },
    }),
    db.issue.count({
      where: {
        ...where,
        lastAttemptedAt: { gte: since },
        syncStatus: 'SYNC_FAILED',
      },
    }),
  ]);

  return { pending, synced, failed };
}

/**
 * Lists up to `limit` issues of `scope` (as in readSyncProgress) that failed
 * at or after `since`, newest first.
 */
export function listFailuresSince(
  db: Database,
  scope: { maxId: number } | { ids: number[] },
  since: Date,
  limit: number,
): Promise<Issue[]> {
  const where: Prisma.IssueWhereInput =
    'maxId' in scope ? { id: { lte: scope.maxId } } : { id: { in: scope.ids } };

  return db.issue.findMany({
    where: {
      ...where,
      syncStatus: 'SYNC_FAILED',
      lastAttemptedAt: { gte: since },
    },
    orderBy: [{ lastAttemptedAt: 'desc' }, { id: 'asc' }],
    take: limit,
  });
}

/**
 * Position after the last row of a page of failing issues, which are
 * sorted by last_attempted_at descending (nulls last), then id.
 */
export interface FailingCursor {
  lastAttemptedAt: Date | null;
  id: number;
}

export interface FailingIssuePage {
  issues: Issue[];
  /** Cursor of the next page; unset on the last page. */
  next?: FailingCursor;
}

/**
 * Lists issues with sync_status SYNC_FAILED, newest failure first, one
 * keyset page at a time. The index on (sync_status, last_attempted_at
 * DESC, id) serves both the filter and the order.
 */
export async function listFailingIssues(
  db: Database,
  options: { after?: FailingCursor; limit: number },
): Promise<FailingIssuePage> {
  const after = options.after;
  const keyset =
    after === undefined
      ? {}
      : after.lastAttemptedAt === null
        ? { lastAttemptedAt: null, id: { gt: after.id } }
        : {
            OR: [
              { lastAttemptedAt: { lt: after.lastAttemptedAt } },
              { lastAttemptedAt: after.lastAttemptedAt, id: { gt: after.id } },
              { lastAttemptedAt: null },
            ],
          };
  const rows = await db.issue.findMany({
    where: { syncStatus: 'SYNC_FAILED', ...keyset },
    orderBy: [
      { lastAttemptedAt: { sort: 'desc', nulls: 'last' } },
      { id: 'asc' },
    ],
    // Fetching one row more than the limit shows whether another page follows.
    take: options.limit + 1,
  });

  const issues = rows.slice(0, options.limit);
  const last = issues[issues.length - 1];
  if (rows.length <= options.limit || last === undefined) {
    return { issues };
  }

  return {
    issues,
    next: { lastAttemptedAt: last.lastAttemptedAt, id: last.id },
  };
}

/** Deletes one issue; returns false when it did not exist. */
export async function deleteIssue(db: Database, id: number): Promise<boolean> {
  const result = await db.issue.deleteMany({ where: { id } });

  return result.count === 1;
}

function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof Prisma.PrismaClientKnownRequestError &&
    error.code === 'P2002'
  );
}
