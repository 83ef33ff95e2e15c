import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { upsertSweepSchedule } from '@issue-sync/queue';
import { createDashboardApp } from './dashboard-app';
import { startTestServer, type TestServer } from './testing/http-client';
import { addIssue, completeSweep, failSyncJobs } from './testing/seed';
import {
  TEST_CREDENTIALS,
  createTestEnvironment,
  type TestEnvironment,
} from './testing/test-environment';
import { createTestLogger } from './testing/test-logger';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(__dirname, '../../../test-output');
const SYNC_ERROR =
  '401 Unauthorized from Jira at https://example.atlassian.net: check JIRA_USERNAME and JIRA_TOKEN';

jest.setTimeout(120_000);

/**
 * Counts the board's controls that change jobs: the "Retry all" and
 * "Clean all" buttons, and every button with an icon Bull Board 9.10 draws
 * for retry, duplicate, edit or remove, which includes those two.
 */
async function countMutatingControls(page: Page): Promise<{
  retryAll: number;
  cleanAll: number;
  changeIcons: number;
}> {
  return {
    retryAll: await page.getByRole('button', { name: 'Retry all' }).count(),
    cleanAll: await page.getByRole('button', { name: 'Clean all' }).count(),
    changeIcons: await page
      .locator(
        'button:has(svg.lucide-refresh-cw, svg.lucide-files, svg.lucide-pencil, svg.lucide-trash-2)',
      )
      .count(),
  };
}

async function launch(
  userDataDir: string,
  credentials?: { username: string; password: string },
): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    httpCredentials: credentials,
    viewport: { width: 1400, height: 900 },
  });
  // The board's page links a web font; only the dashboard itself is
  // reached, so the test never leaves this machine.
  await context.route('**/*', (route) =>
    new URL(route.request().url()).hostname === '127.0.0.1'
      ? route.continue()
      : route.abort(),
  );

  return context;
}

describe('dashboard in a browser', () => {
  let env: TestEnvironment;
  let server: TestServer;
  let userDataDir: string;
  let context: BrowserContext;
  let jobId: string;
  const basePath = '/issue-sync';

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    env = await createTestEnvironment({
      DASHBOARD_BASE_PATH: basePath,
      DASHBOARD_USERNAME: TEST_CREDENTIALS.username,
      DASHBOARD_PASSWORD: TEST_CREDENTIALS.password,
    });
    server = await startTestServer(
      createDashboardApp({
        config: env.config,
        db: env.db,
        queues: env.queues,
        logger: createTestLogger(),
      }),
    );
    const issue = await addIssue(env, {
      source: 'JIRA',
      project: 'PROJ',
      key: '42',
    });
    const jobs = await failSyncJobs(
      env,
      'JIRA',
      new Map([[issue.id, SYNC_ERROR]]),
      new Date(),
    );
    jobId = jobs.get(issue.id)!;
    await completeSweep(env, {
      issues: 1,
      added: 1,
      skipped: 0,
      maxIssueId: issue.id,
    });
    await upsertSweepSchedule(env.queues.sweep, 900_000);

    userDataDir = await mkdtemp(path.join(os.tmpdir(), 'dashboard-chromium-'));
    context = await launch(userDataDir, TEST_CREDENTIALS);
  });

  afterAll(async () => {
    await context?.close();
    await rm(userDataDir, { recursive: true, force: true });
    await server.close();
    await env.close();
  });

  it('shows the failing issue and its error on the status page', async () => {
    const page = await context.newPage();
    const response = await page.goto(`${server.origin}${basePath}/`);
    expect(response?.status()).toBe(200);

    const row = page.locator('#failing-issues tbody tr');
    await expect(row.count()).resolves.toBe(1);
    await row.getByText(SYNC_ERROR).waitFor({ state: 'visible' });
    await expect(row.locator('a.issue-link').textContent()).resolves.toBe(
      'Jira PROJ 42',
    );
    await expect(row.locator('a.job-link').textContent()).resolves.toBe(
      `job ${jobId}`,
    );
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'dashboard-status-page.png'),
      fullPage: true,
    });
    await page.close();
  });

  it('shows the failed job and its error on the board', async () => {
    const page = await context.newPage();
    await page.goto(
      `${server.origin}${basePath}/queues/queue/sync-jira?status=failed`,
    );
    await page.getByText(SYNC_ERROR).first().waitFor({ state: 'visible' });
    await expect(countMutatingControls(page)).resolves.toEqual({
      retryAll: 1,
      cleanAll: 1,
      changeIcons: 6,
    });
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'dashboard-board-failed.png'),
      fullPage: true,
    });
    await page.close();
  });

  it('follows the job link of the status page to the board', async () => {
    const page = await context.newPage();
    await page.goto(`${server.origin}${basePath}/`);
    await page.locator('#failing-issues a.job-link').click();
    await page.waitForURL(
      `${server.origin}${basePath}/queues/queue/sync-jira/${jobId}`,
    );
    await page.getByText(SYNC_ERROR).first().waitFor({ state: 'visible' });
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'dashboard-board-job.png'),
      fullPage: true,
    });
    await page.close();
  });

  it('hides every control that changes jobs when read-only', async () => {
    const readOnly = await startTestServer(
      createDashboardApp({
        config: env.configWith({ DASHBOARD_BASE_PATH: basePath }),
        db: env.db,
        queues: env.queues,
        logger: createTestLogger(),
      }),
    );
    const readOnlyDataDir = await mkdtemp(
      path.join(os.tmpdir(), 'dashboard-chromium-'),
    );
    const readOnlyContext = await launch(readOnlyDataDir);
    try {
      const page = await readOnlyContext.newPage();
      await page.goto(
        `${readOnly.origin}${basePath}/queues/queue/sync-jira?status=failed`,
      );
      await page.getByText(SYNC_ERROR).first().waitFor({ state: 'visible' });
      await expect(countMutatingControls(page)).resolves.toEqual({
        retryAll: 0,
        cleanAll: 0,
        changeIcons: 0,
      });
      await page.screenshot({
        path: path.join(SCREENSHOTS, 'dashboard-board-read-only.png'),
        fullPage: true,
      });
    } finally {
      await readOnlyContext.close();
      await rm(readOnlyDataDir, { recursive: true, force: true });
      await readOnly.close();
    }
  });
});
