import express, { type Router } from 'express';
import type { Database } from '@issue-sync/db';
import type { QueueSet } from '@issue-sync/queue';
import { runChecks } from '@issue-sync/runtime';
import { describeFailure } from './describe-failure';
import type { SecretScrubber } from './secret-scrubber';

/** Time each readiness check may take before it counts as failed. */
const CHECK_TIMEOUT_MS = 3_000;

/**
 * Creates the router of /healthz (200 while the process runs) and /readyz
 * (200 when Redis replies to PING and PostgreSQL to SELECT 1, else 503
 * naming what failed).
 */
export function createHealthRouter(options: {
  db: Database;
  queues: QueueSet;
  scrubber: SecretScrubber;
}): Router {
  const router = express.Router();

  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });

  router.get('/readyz', async (_request, response) => {
    const checks = await runChecks(
      {
        redis: async () => {
          try {
            await options.queues.connection.ping();
          } catch (error) {
            throw new Error(describeFailure('Redis', error));
          }
        },
        postgres: async () => {
          try {
            await options.db.$queryRaw`SELECT 1`;
          } catch (error) {
            throw new Error(describeFailure('PostgreSQL', error));
          }
        },
      },
      CHECK_TIMEOUT_MS,
    );
    const ready = Object.values(checks).every((result) => result === 'ok');

    response.status(ready ? 200 : 503).json(
      options.scrubber.scrubDeep({
        status: ready ? 'ok' : 'unavailable',
        checks,
      }),
    );
  });

  return router;
}
