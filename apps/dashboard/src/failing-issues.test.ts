import { recordSyncFailure, registerIssue } from '@issue-sync/db';
import {
  formatFailingCursor,
  parseFailingCursor,
  type FailingCursor,
} from './failing-issues';
import { listFailingIssues } from '@issue-sync/db';
import {
  createTestEnvironment,
  type TestEnvironment,
} from './testing/test-environment';

describe('parseFailingCursor', () => {
  it('reads what formatFailingCursor writes', () => {
    const cursor = {
      lastAttemptedAt: new Date('2026-12-03T10:00:00.123Z'),
      id: 42,
    };
    const text = formatFailingCursor(cursor);
    expect(text).toBe(`${cursor.lastAttemptedAt.getTime()}.42`);
    expect(parseFailingCursor(text)).toEqual(cursor);
  });

  it('reads a cursor after rows never attempted', () => {
    expect(parseFailingCursor('never.7')).toEqual({
      lastAttemptedAt: null,
      id: 7,
    });
  });

  it.each(['', '12', 'x.1', '1.-1', '1.2147483648', '1.2.3', ' 1.2'])(
    'rejects %p',
    (text) => {
      expect(parseFailingCursor(text)).toBeUndefined();
    },
  );
});

describe('listFailingIssues', () => {
  let env: TestEnvironment;
  const expectedOrder: number[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment();
    const times = [
      '2026-12-03T10:00:00.000Z',
      '2026-12-03T12:00:00.000Z',
      '2026-12-03T11:00:00.000Z',
      '2026-12-03T12:00:00.000Z',
      '2026-12-03T09:00:00.000Z',
      '2026-12-03T12:00:00.000Z',
    ];
    const ids: number[] = [];
    for (const [index, time] of times.entries()) {
      const { issue } = await registerIssue(env.db, {
        source: 'JIRA',
        project: 'PROJ',
        key: String(index + 1),
      });
      await recordSyncFailure(
        env.db,
        issue.id,
        `error ${index}`,
        new Date(time),
      );
      ids.push(issue.id);
    }
    // A failed row without last_attempted_at sorts last, and rows that did
    // not fail are left out.
    const { issue: unattempted } = await registerIssue(env.db, {
      source: 'JIRA',
      project: 'PROJ',
      key: '100',
    });
    await env.db.issue.update({
      where: { id: unattempted.id },
      data: { syncStatus: 'SYNC_FAILED', syncError: 'no attempt' },
    });
    await registerIssue(env.db, {
      source: 'JIRA',
      project: 'PROJ',
      key: '200',
    });

    // Newest first; equal times in id order.
    expectedOrder.push(ids[1]!, ids[3]!, ids[5]!, ids[2]!, ids[0]!, ids[4]!);
    expectedOrder.push(unattempted.id);
  });

  afterAll(() => env.close());

  it('returns one page with no cursor when everything fits', async () => {
    const page = await listFailingIssues(env.db, { limit: 50 });
    expect(page.issues.map((issue) => issue.id)).toEqual(expectedOrder);
    expect(page.next).toBeUndefined();
  });

  it.each([1, 2, 3, 6, 7])(
    'pages through every failure with limit %i',
    async (limit) => {
      const seen: number[] = [];
      let after: FailingCursor | undefined;
      for (let round = 0; round < 10; round += 1) {
        const page = await listFailingIssues(env.db, { after, limit });
        seen.push(...page.issues.map((issue) => issue.id));
        expect(page.issues.length).toBeLessThanOrEqual(limit);
        if (page.next === undefined) {
          break;
        }
        after = page.next;
      }
      expect(seen).toEqual(expectedOrder);
    },
  );
});
