import type { Database, Issue } from '@issue-sync/db';

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

const NEVER = 'never';

/** Formats a cursor for a query string, as `<epoch ms>.<id>`. */
export function formatFailingCursor(cursor: FailingCursor): string {
  const at =
    cursor.lastAttemptedAt === null
      ? NEVER
      : String(cursor.lastAttemptedAt.getTime());

  return `${at}.${cursor.id}`;
}

/** Parses a cursor from formatFailingCursor; undefined when malformed. */
export function parseFailingCursor(text: string): FailingCursor | undefined {
  const match = /^(\d{1,15}|never)\.(\d{1,10})$/.exec(text);
  if (match === null) {
    return undefined;
  }

  const id = Number(match[2]);
  if (id > 2_147_483_647) {
    return undefined;
  }

  return {
    lastAttemptedAt: match[1] === NEVER ? null : new Date(Number(match[1])),
    id,
  };
}

/**
 * Lists issues with sync_status SYNC_FAILED, newest failure first, one
 * keyset page at a time. listIssues of @issue-sync/db sorts the same way
 * but cannot continue after a row, so this query pages on its own.
 *
 * NOTE: PostgreSQL finds the failed rows through the (sync_status, source)
 * index and sorts them, which stays fast while failures number in the
 * thousands. For deep pages over many more, add an index on
 * (sync_status, last_attempted_at DESC, id).
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
