import { Worker } from 'bullmq';
import { createDatabase } from '@issue-sync/db';
import {
  SWEEP_QUEUE,
  SWEEP_SCHEDULER_ID,
  createRedisConnection,
  upsertSweepSchedule,
} from '@issue-sync/queue';
import { createDashboardApp } from './dashboard-app';
import {
  elementById,
  linkBy,
  linksOf,
  rowOf,
  textOf,
} from './testing/html-reading';
import {
  request,
  startTestServer,
  type TestServer,
} from './testing/http-client';
import {
  addFailedIssue,
  addIssue,
  addSyncedIssue,
  completeSweep,
  failSyncJobs,
} from './testing/seed';
import {
  createTestEnvironment,
  type TestEnvironment,
} from './testing/test-environment';
import { createTestLogger } from './testing/test-logger';

/** Reads the count cell of a tracker row. */
function countIn(row: string, status: string): number {
  const match = new RegExp(`data-status="${status}">\\s*(\\d+)\\s*<`).exec(row);

  return Number(match?.[1]);
}

function numbersIn(row: string): number[] {
  return [...row.matchAll(/<td class="number">\s*(?:<a [^>]*>\s*)?(\d+)/g)].map(
    (match) => Number(match[1]),
  );
}

function failingIds(page: string): number[] {
  return [...page.matchAll(/<tr data-issue-id="(\d+)">/g)].map((match) =>
    Number(match[1]),
  );
}

async function getPage(url: string): Promise<string> {
  const response = await request(url);
  expect(response.status).toBe(200);

  return response.text;
}

describe('status page', () => {
  let env: TestEnvironment;
  let server: TestServer;

  beforeAll(async () => {
    env = await createTestEnvironment();
    server = await startTestServer(
      createDashboardApp({
        config: env.config,
        db: env.db,
        queues: env.queues,
        logger: createTestLogger(),
        failingPageSize: 2,
      }),
    );
  });

  afterAll(async () => {
    await server.close();
    await env.close();
  });

  describe('before anything ran', () => {
    it('says that no sweep is kept and none is scheduled', async () => {
      const page = await getPage(`${server.origin}/`);
      expect(textOf(elementById(page, 'last-sweep'))).toBe(
        'none kept: no sweep has completed since the queue was emptied',
      );
      expect(textOf(elementById(page, 'next-sweep'))).toBe(
        'no sweep schedule is registered: check that the scheduler is running',
      );
      expect(textOf(elementById(page, 'no-failures'))).toBe(
        'No issue has sync_status SYNC_FAILED.',
      );
    });
  });

  describe('with issues, jobs and a sweep', () => {
    const ids = {} as Record<
      'github' | 'jiraWithJob' | 'jiraWithoutJob',
      number
    >;
    let jiraJobId: string;
    let sweepFinishedOn: number;
    let nextSweep: number;
    const hostileError = `403 Forbidden from Jira: <script>alert(1)</script> & "quoted" 'text'`;

    beforeAll(async () => {
      for (const key of ['1', '2', '3']) {
        await addSyncedIssue(
          env,
          { source: 'GITHUB', project: 'owner/repo', key },
          new Date('2026-12-01T00:00:00.000Z'),
        );
      }
      await addIssue(env, { source: 'LAUNCHPAD', project: 'ubuntu', key: '9' });

      // Newest failure first: jiraWithJob, jiraWithoutJob, github.
      ids.github = (
        await addSyncedIssue(
          env,
          { source: 'GITHUB', project: 'owner/repo', key: '4' },
          new Date('2026-11-30T10:00:00.000Z'),
          { title: 'Last good <title>' },
        )
      ).id;
      await failSyncJobs(
        env,
        'GITHUB',
        new Map([[ids.github, 'GitHub did not answer within 15000 ms']]),
        new Date('2026-12-03T08:00:00.000Z'),
      );
      ids.jiraWithoutJob = (
        await addFailedIssue(
          env,
          { source: 'JIRA', project: 'PROJ', key: '5' },
          hostileError,
          new Date('2026-12-03T09:00:00.000Z'),
        )
      ).id;
      ids.jiraWithJob = (
        await addIssue(env, { source: 'JIRA', project: 'PROJ', key: '6' })
      ).id;
      const jiraJobs = await failSyncJobs(
        env,
        'JIRA',
        new Map([
          [
            ids.jiraWithJob,
            '401 Unauthorized from Jira at https://example.atlassian.net: check JIRA_USERNAME and JIRA_TOKEN',
          ],
        ]),
        new Date('2026-12-03T10:00:00.000Z'),
      );
      jiraJobId = jiraJobs.get(ids.jiraWithJob)!;

      const sweep = await completeSweep(env, {
        issues: 7,
        added: 6,
        skipped: 1,
        maxIssueId: ids.jiraWithJob,
      });
      sweepFinishedOn = (await env.queues.sweep.getJob(sweep.id!))!.finishedOn!;
      await upsertSweepSchedule(env.queues.sweep, 900_000);
      nextSweep = (await env.queues.sweep.getJobScheduler(SWEEP_SCHEDULER_ID))!
        .next!;
    });

    it('counts issues per tracker and sync status', async () => {
      const page = await getPage(`${server.origin}/`);
      const github = rowOf(page, 'data-source', 'GITHUB');
      expect(countIn(github, 'SYNCED')).toBe(3);
      expect(countIn(github, 'SYNC_FAILED')).toBe(1);
      expect(countIn(github, 'NEVER_SYNCED')).toBe(0);
      expect(countIn(github, 'TOTAL')).toBe(4);
      const jira = rowOf(page, 'data-source', 'JIRA');
      expect(countIn(jira, 'SYNCED')).toBe(0);
      expect(countIn(jira, 'SYNC_FAILED')).toBe(2);
      expect(countIn(jira, 'NEVER_SYNCED')).toBe(0);
      expect(countIn(jira, 'TOTAL')).toBe(2);
      const launchpad = rowOf(page, 'data-source', 'LAUNCHPAD');
      expect(countIn(launchpad, 'SYNCED')).toBe(0);
      expect(countIn(launchpad, 'NEVER_SYNCED')).toBe(1);
      expect(countIn(launchpad, 'TOTAL')).toBe(1);
      expect(numbersIn(rowOf(page, 'data-source', 'ALL'))).toEqual([
        3, 3, 1, 7,
      ]);
    });

    it('shows when the last sweep finished and what it did', async () => {
      const lastSweep = elementById(
        await getPage(`${server.origin}/`),
        'last-sweep',
      );
      expect(lastSweep).toContain(
        `datetime="${new Date(sweepFinishedOn).toISOString()}"`,
      );
      expect(textOf(lastSweep)).toMatch(
        /: read 7 issues, added 6 sync jobs, skipped 1 already queued$/,
      );
    });

    it('shows when the next sweep is due', async () => {
      const next = elementById(
        await getPage(`${server.origin}/`),
        'next-sweep',
      );
      expect(next).toContain(`datetime="${new Date(nextSweep).toISOString()}"`);
      expect(textOf(next)).toMatch(/\(every 15m\)$/);
    });

    it('shows the depth of every queue with links to the board', async () => {
      const page = await getPage(`${server.origin}/`);
      const jira = rowOf(page, 'data-queue', 'sync-jira');
      expect(numbersIn(jira)).toEqual([0, 0, 0, 1]);
      expect(numbersIn(rowOf(page, 'data-queue', 'sync-github'))).toEqual([
        0, 0, 0, 1,
      ]);
      expect(numbersIn(rowOf(page, 'data-queue', 'sync-launchpad'))).toEqual([
        0, 0, 0, 0,
      ]);
      expect(linksOf(jira).map((link) => link.attributes.href)).toEqual([
        '/queues/queue/sync-jira',
        '/queues/queue/sync-jira?status=failed',
      ]);
    });

    it('lists failing issues newest first, one page at a time', async () => {
      const first = await getPage(`${server.origin}/`);
      expect(failingIds(first)).toEqual([ids.jiraWithJob, ids.jiraWithoutJob]);
      expect(first).not.toContain('id="first-page"');
      const next = linkBy(first, 'id', 'next-page').attributes.href!;
      expect(next).toMatch(/^\/\?after=\d+\.\d+$/);

      const second = await getPage(`${server.origin}${next}`);
      expect(failingIds(second)).toEqual([ids.github]);
      expect(linkBy(second, 'id', 'first-page').attributes.href).toBe('/');
      expect(second).not.toContain('id="next-page"');
    });

    it('shows the error, times and links of a failing issue', async () => {
      const page = await getPage(`${server.origin}/`);
      const row = rowOf(page, 'data-issue-id', ids.jiraWithJob);
      expect(linkBy(row, 'class', 'issue-link')).toEqual({
        attributes: {
          class: 'issue-link',
          href: 'https://example.atlassian.net/browse/PROJ-6',
          rel: 'noopener noreferrer',
        },
        text: 'Jira PROJ 6',
      });
      expect(row).toContain(
        '<td class="error">401 Unauthorized from Jira at https://example.atlassian.net: check JIRA_USERNAME and JIRA_TOKEN</td>',
      );
      expect(row).toContain('datetime="2026-12-03T10:00:00.000Z"');
      expect(row).toContain('<span class="muted">never</span>');
      expect(linkBy(row, 'class', 'job-link')).toEqual({
        attributes: {
          class: 'job-link',
          href: `/queues/queue/sync-jira/${jiraJobId}`,
        },
        text: `job ${jiraJobId}`,
      });
    });

    it('keeps the last good title and sync of a failing issue', async () => {
      const first = await getPage(`${server.origin}/`);
      const next = linkBy(first, 'id', 'next-page').attributes.href!;
      const row = rowOf(
        await getPage(`${server.origin}${next}`),
        'data-issue-id',
        ids.github,
      );
      expect(row).toContain('<td>Last good &lt;title&gt;</td>');
      expect(row).toContain('datetime="2026-11-30T10:00:00.000Z"');
      expect(linkBy(row, 'class', 'issue-link').attributes.href).toBe(
        'https://github.com/owner/repo/issues/4',
      );
      expect(linkBy(row, 'class', 'job-link').attributes.href).toMatch(
        /^\/queues\/queue\/sync-github\/\d+$/,
      );
    });

    it('links to the failed tab when the failed job is not found', async () => {
      const page = await getPage(`${server.origin}/`);
      const row = rowOf(page, 'data-issue-id', ids.jiraWithoutJob);
      expect(linkBy(row, 'class', 'job-link')).toEqual({
        attributes: {
          class: 'job-link',
          href: '/queues/queue/sync-jira?status=failed',
        },
        text: 'failed jobs of sync-jira',
      });
    });

    it('escapes every value from the database', async () => {
      const page = await getPage(`${server.origin}/`);
      const row = rowOf(page, 'data-issue-id', ids.jiraWithoutJob);
      expect(row).toContain(
        '<td class="error">403 Forbidden from Jira: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &#39;text&#39;</td>',
      );
      expect(page).not.toContain('<script>');
    });

    it('sends headers that forbid scripts and sniffing', async () => {
      const response = await request(`${server.origin}/`);
      expect(response.headers['content-security-policy']).toBe(
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      );
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['cache-control']).toBe('no-store');
    });

    it('shows a newer failed sweep with its reason', async () => {
      await env.queues.sweep.add(
        'sweep',
        { trigger: 'manual' },
        { attempts: 1 },
      );
      const connection = createRedisConnection(env.config.redisUrl, 'worker');
      const worker = new Worker(
        SWEEP_QUEUE,
        async () => {
          throw new Error('database unreachable: check DATABASE_URL');
        },
        { connection, prefix: env.config.queuePrefix },
      );
      await new Promise((resolve) => worker.once('failed', resolve));
      await worker.close();
      connection.disconnect();
      const [failed] = await env.queues.sweep.getFailed(0, 0);

      const notice = elementById(
        await getPage(`${server.origin}/`),
        'failed-sweep',
      );
      expect(textOf(notice)).toMatch(
        /^The newest sweep failed .+: database unreachable: check DATABASE_URL \( job \d+ \)$/,
      );
      expect(linksOf(notice).map((link) => link.attributes.href)).toEqual([
        `/queues/queue/sweep/${failed!.id}`,
      ]);
    });

    it.each(['x', '1.2.3', 'never', '1.'])(
      'answers 400 to after=%s',
      async (after) => {
        const response = await request(`${server.origin}/?after=${after}`);
        expect(response.status).toBe(400);
        expect(response.json()).toEqual({
          error: `Invalid after "${after}": follow the "Older failures" link, which sets it`,
        });
      },
    );

    it('answers 400 to an unknown parameter', async () => {
      const response = await request(`${server.origin}/?page=2`);
      expect(response.status).toBe(400);
      expect(response.json()).toEqual({
        error: 'Unknown query parameter "page": use after',
      });
    });
  });

  describe('when PostgreSQL is unreachable', () => {
    it('still shows the queues and names the failure', async () => {
      const brokenDb = createDatabase({
        url: 'postgresql://postgres@127.0.0.1:1/none',
        poolSize: 1,
        connectionTimeoutMs: 1000,
      });
      const logger = createTestLogger();
      const broken = await startTestServer(
        createDashboardApp({
          config: env.config,
          db: brokenDb,
          queues: env.queues,
          logger,
        }),
      );
      try {
        const page = await getPage(`${broken.origin}/`);
        const failures = [
          ...page.matchAll(/<p class="failure">([^<]*)<\/p>/g),
        ].map((match) => match[1]!);
        expect(failures).toHaveLength(2);
        for (const failure of failures) {
          expect(failure).toMatch(/^PostgreSQL did not answer: \S/);
        }
        expect(page).toContain('<tr data-queue="sync-jira">');
        expect(
          logger.entries
            .filter((entry) => entry.message === 'status page section failed')
            .map((entry) => entry.meta?.section)
            .sort(),
        ).toEqual(['failing issues', 'tracker counts']);
      } finally {
        await broken.close();
        await brokenDb.$disconnect();
      }
    });
  });
});
