import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from '@issue-sync/config';
import { createDatabase } from '@issue-sync/db';
import {
  createQueues,
  createRedisConnection,
  waitForRedis,
} from '@issue-sync/queue';
import { createDashboardApp, type DashboardLogger } from './dashboard-app';

/** How long start-up waits for Redis before serving without it. */
const REDIS_WAIT_MS = 5_000;

/** How long shutdown waits for open requests before closing their sockets. */
const CLOSE_GRACE_MS = 5_000;

/** A running dashboard server. */
export interface DashboardServer {
  /** The port listened on; differs from DASHBOARD_PORT only when it is 0. */
  port: number;
  /** Base URL of the status page, such as http://127.0.0.1:3000/issue-sync/. */
  url: string;
  /** Stops accepting requests, then closes the database and Redis. */
  stop(): Promise<void>;
}

/**
 * Connects to PostgreSQL (one Prisma client) and Redis (one producer
 * connection shared by the queues) and serves the dashboard on
 * DASHBOARD_HOST:DASHBOARD_PORT. When Redis is down at start-up the
 * dashboard serves anyway, so /readyz and the status page can tell.
 */
export async function startDashboard(
  config: AppConfig,
  logger: DashboardLogger,
): Promise<DashboardServer> {
  const db = createDatabase({
    url: config.databaseUrl,
    poolSize: config.databasePoolSize,
  });
  const connection = createRedisConnection(
    config.redisUrl,
    'producer',
    'issue-sync-dashboard',
  );
  connection.on('error', (err) =>
    logger.warn('redis connection error', { err }),
  );
  const queues = createQueues({
    connection,
    prefix: config.queuePrefix,
    onError: (queue, err) => logger.warn('queue error', { queue, err }),
  });
  try {
    await waitForRedis(connection, REDIS_WAIT_MS);
  } catch (err) {
    logger.warn(
      'serving without Redis for now; it is retried in the background',
      {
        err,
      },
    );
  }

  const app = createDashboardApp({ config, db, queues, logger });
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.dashboard.port, config.dashboard.host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const port = (server.address() as AddressInfo).port;
  const host = config.dashboard.host.includes(':')
    ? `[${config.dashboard.host}]`
    : config.dashboard.host;
  const url = `http://${host}:${port}${config.dashboard.basePath}/`;
  logger.info('dashboard listening', { url });

  return {
    port,
    url,
    stop: async () => {
      const closed = new Promise<void>((resolve) =>
        server.close(() => resolve()),
      );
      server.closeIdleConnections();
      const timer = setTimeout(
        () => server.closeAllConnections(),
        CLOSE_GRACE_MS,
      );
      await closed;
      clearTimeout(timer);
      await queues.close();
      await db.$disconnect();
      connection.disconnect();
    },
  };
}
