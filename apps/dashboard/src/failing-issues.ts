import type { FailingCursor } from '@issue-sync/db';

export type { FailingCursor };

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
