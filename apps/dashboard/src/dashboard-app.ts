import express from 'express';
import { secretsOf, type AppConfig } from '@issue-sync/config';
import type { Database } from '@issue-sync/db';
import type { QueueSet, RetryPolicyOptions } from '@issue-sync/queue';
import { createBasicAuth } from './basic-auth';
import { createBoardRouter } from './board';
import { createHealthRouter } from './health';
import { createErrorHandler, notFound } from './http-error';
import { createIssuesApi } from './issues-api';
import { createDashboardMetrics } from './metrics';
import { rejectCrossSiteWrites } from './request-guards';
import { createSecretScrubber } from './secret-scrubber';
import { createStatusPage } from './status-page';

/** The part of a winston logger the dashboard uses. */
export interface DashboardLogger {
  info(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
  error(message: string, meta?: Record<string, unknown>): unknown;
}

export interface DashboardDeps {
  config: AppConfig;
  /** The process's one Prisma client. */
  db: Database;
  /** Queues from createQueues with the workers' QUEUE_PREFIX. */
  queues: QueueSet;
  logger: DashboardLogger;
  /**
   * How long one reading of PostgreSQL and Redis serves /metrics scrapes.
   * @defaultValue 5000
   */
  metricsCacheMs?: number;
  /**
   * Newest failed jobs per tracker queue searched for a failing issue's job.
   * @defaultValue 300
   */
  failedJobScanLimit?: number;
  /**
   * Failing issues per page of the status page.
   * @defaultValue 50
   */
  failingPageSize?: number;
}

/** Largest JSON body the issues API accepts, in bytes. */
const BODY_LIMIT_BYTES = 16 * 1024;

function readCredentials(config: AppConfig) {
  const { username, password } = config.dashboard;
  if ((username === undefined) !== (password === undefined)) {
    // loadConfig rejects this already; a hand-built AppConfig may not.
    throw new Error(
      'Only one of DASHBOARD_USERNAME and DASHBOARD_PASSWORD is set: set both to require a sign-in, or neither for a read-only dashboard',
    );
  }

  return username === undefined || password === undefined
    ? undefined
    : { username, password };
}

/**
 * Creates the dashboard: the sync status page at `/`, Bull Board at
 * `/queues`, the issues API at `/api/issues`, `/metrics`, and the
 * unauthenticated `/healthz` and `/readyz`, all under DASHBOARD_BASE_PATH.
 * With DASHBOARD_USERNAME and DASHBOARD_PASSWORD set every other route
 * needs them through HTTP basic auth; without them the dashboard is
 * read-only.
 */
export function createDashboardApp(deps: DashboardDeps): express.Express {
  const { config, db, queues, logger } = deps;
  const basePath = config.dashboard.basePath;
  const credentials = readCredentials(config);
  const authEnabled = credentials !== undefined;
  const scrubber = createSecretScrubber(secretsOf(config));
  const policy: RetryPolicyOptions = {
    attempts: config.sync.retryAttempts,
    backoffMs: config.sync.retryBackoffMs,
    failedKeepCount: config.sync.failedJobsKeepCount,
    failedKeepAgeSec: config.sync.failedJobsKeepAgeSec,
  };
  const paths = {
    statusPage: `${basePath}/`,
    board: `${basePath}/queues`,
    metrics: `${basePath}/metrics`,
    issues: `${basePath}/api/issues`,
  };

  const app = express();
  app.disable('x-powered-by');
  app.use((_request, response, next) => {
    response.set({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'same-origin',
    });
    next();
  });

  // Probes reach the process directly, so the health routes are served at the root too
  // when a base path is set, and never asks for credentials.
  const health = createHealthRouter({ db, queues, scrubber });
  app.use(health);
  if (basePath !== '') {
    app.use(basePath, health);
  }

  app.use(rejectCrossSiteWrites);
  if (credentials !== undefined) {
    app.use(createBasicAuth(credentials, logger));
  }

  const router = express.Router();
  router.get(
    '/',
    createStatusPage(
      {
        db,
        queues,
        jiraBaseUrl: config.jira.baseUrl,
        readOnly: !authEnabled,
        statusPagePath: paths.statusPage,
        boardPath: paths.board,
        metricsPath: paths.metrics,
        pageSize: deps.failingPageSize ?? 50,
        failedJobScanLimit: deps.failedJobScanLimit ?? 300,
        onError: (section, err) =>
          logger.warn('status page section failed', { section, err }),
      },
      scrubber,
    ),
  );
  router.use(
    '/api/issues',
    createIssuesApi({
      db,
      queues,
      policy,
      jiraBaseUrl: config.jira.baseUrl,
      authEnabled,
      scrubber,
      bodyLimitBytes: BODY_LIMIT_BYTES,
    }),
  );

  const metrics = createDashboardMetrics({
    db,
    queues,
    logger,
    cacheMs: deps.metricsCacheMs ?? 5_000,
  });
  router.get('/metrics', async (_request, response) => {
    const text = await metrics.metrics();
    response.type(metrics.contentType).send(scrubber.scrubText(text));
  });

  router.use(
    '/queues',
    createBoardRouter({
      queues,
      mountPath: paths.board,
      statusPagePath: paths.statusPage,
      readOnly: !authEnabled,
      scrubber,
    }),
  );

  app.use(basePath === '' ? '/' : basePath, router);
  app.use(notFound);
  app.use(createErrorHandler(logger));

  if (authEnabled) {
    logger.info('dashboard requires a sign-in', {
      username: credentials.username,
      basePath,
    });
  } else {
    logger.warn(
      'dashboard is read-only because DASHBOARD_USERNAME and DASHBOARD_PASSWORD are not set: anyone who reaches it can read it, and nothing can be retried, removed or added',
      { basePath },
    );
  }

  return app;
}
