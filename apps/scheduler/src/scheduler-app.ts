import type { AppConfig } from '@issue-sync/config';
import type { Logger } from '@issue-sync/logger';
import {
  createQueues,
  createRedisConnection,
  upsertSweepSchedule,
} from '@issue-sync/queue';
import { startHealthServer, type HealthServer } from '@issue-sync/runtime';

export interface SchedulerApp {
  health?: HealthServer;
  /** Upserts the schedule now; the app also does this on its own. */
  refresh(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Keeps the one sweep schedule registered. It upserts whenever the Redis
 * connection becomes ready and every SCHEDULER_REFRESH_MS, so a Redis that
 * restarted empty (no persistence, a failover, an eviction) gets the
 * schedule back without anyone acting.
 */
export async function startSchedulerApp(
  config: AppConfig,
  logger: Logger,
): Promise<SchedulerApp> {
  const connection = createRedisConnection(
    config.redisUrl,
    'worker',
    'issue-sync-scheduler',
  );
  connection.on('error', (err) =>
    logger.warn('redis connection error', { err }),
  );
  const queues = createQueues({
    connection,
    prefix: config.queuePrefix,
    onError: (queue, err) => logger.warn('queue error', { queue, err }),
  });
  let running: Promise<void> | undefined;

  const refresh = (): Promise<void> => {
    // One upsert at a time: a slow Redis must not pile them up.
    running ??= upsertSweepSchedule(queues.sweep, config.sync.intervalMs)
      .then((result) => {
        const meta = {
          intervalMs: config.sync.intervalMs,
          nextRunAt:
            result.nextRunAt === undefined
              ? undefined
              : new Date(result.nextRunAt).toISOString(),
        };
        if (result.changed) {
          logger.info('sweep schedule registered', meta);
        } else {
          logger.debug('sweep schedule unchanged', meta);
        }
      })
      .catch((err: unknown) => {
        logger.warn('could not register the sweep schedule; will try again', {
          err,
        });
      })
      .finally(() => {
        running = undefined;
      });

    return running;
  };

  connection.on('ready', () => {
    void refresh();
  });
  const timer = setInterval(() => void refresh(), config.scheduler.refreshMs);
  if (connection.status === 'ready') {
    await refresh();
  }

  let health: HealthServer | undefined;
  if (config.scheduler.healthPort !== 0) {
    health = await startHealthServer({
      port: config.scheduler.healthPort,
      host: '0.0.0.0',
      checks: {
        redis: async () => {
          await connection.ping();
        },
      },
    });
  }
  logger.info('scheduler started', {
    intervalMs: config.sync.intervalMs,
    refreshMs: config.scheduler.refreshMs,
    healthPort: health?.port,
  });

  return {
    health,
    refresh,
    stop: async () => {
      clearInterval(timer);
      await running;
      await queues.close();
      await health?.close();
      connection.disconnect();
    },
  };
}
