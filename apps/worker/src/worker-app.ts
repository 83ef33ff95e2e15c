import { Worker, type Job } from 'bullmq';
import { secretsOf, type LoadedConfig } from '@issue-sync/config';
import {
  createDatabase,
  recordSyncFailure,
  type Database,
} from '@issue-sync/db';
import { addLoggerSecrets, redact, type Logger } from '@issue-sync/logger';
import {
  SWEEP_QUEUE,
  SYNC_QUEUES,
  createQueues,
  createRedisConnection,
  type QueueSet,
  type RetryPolicyOptions,
  type SyncJobData,
} from '@issue-sync/queue';
import {
  createAdapters,
  startHealthServer,
  type HealthServer,
} from '@issue-sync/runtime';
import { ISSUE_SOURCES, type TrackerAdapter } from '@issue-sync/tracker-core';
import type { Redis } from 'ioredis';
import { watchCredentials } from './credential-reload';
import { WorkerMetrics } from './metrics';
import { createSweepProcessor } from './sweep-processor';
import { createSyncProcessor } from './sync-processor';

export interface WorkerApp {
  metrics: WorkerMetrics;
  health?: HealthServer;
  /** Stops taking jobs, waits up to the grace time for running ones, closes everything. */
  stop(): Promise<void>;
}

/** Starts the sweep worker and one sync worker per tracker in this process. */
export async function startWorkerApp(
  loaded: LoadedConfig,
  logger: Logger,
): Promise<WorkerApp> {
  const config = loaded.config;
  let secrets = secretsOf(config);
  const scrub = (text: string): string => redact(text, secrets);
  const metrics = new WorkerMetrics();
  const db = createDatabase({
    url: config.databaseUrl,
    poolSize: config.databasePoolSize,
  });
  const connection = createRedisConnection(
    config.redisUrl,
    'worker',
    'issue-sync-worker',
  );
  connection.on('error', (err) =>
    logger.warn('redis connection error', { err }),
  );
  const queues = createQueues({
    connection,
    prefix: config.queuePrefix,
    onError: (queue, err) => logger.warn('queue error', { queue, err }),
  });
  const adapters = createAdapters(
    config,
    metrics.observer(),
    logger.child({ component: 'adapter' }),
  );
  const policy: RetryPolicyOptions = {
    attempts: config.sync.retryAttempts,
    backoffMs: config.sync.retryBackoffMs,
    failedKeepCount: config.sync.failedJobsKeepCount,
    failedKeepAgeSec: config.sync.failedJobsKeepAgeSec,
  };
  const workerOptions = {
    connection,
    prefix: config.queuePrefix,
    lockDuration: config.worker.lockDurationMs,
    // Look for jobs of crashed workers as often as a lock may go unrenewed.
    stalledInterval: config.worker.lockDurationMs,
    // A job whose worker died twice is handed on once more, then failed.
    maxStalledCount: 2,
  };

  const workers: Worker[] = [];
  workers.push(
    new Worker(
      SWEEP_QUEUE,
      createSweepProcessor({
        db,
        queues,
        logger,
        metrics,
        pageSize: config.sync.sweepPageSize,
        policy,
      }),
      { ...workerOptions, concurrency: 1 },
    ),
  );
  for (const source of ISSUE_SOURCES) {
    const worker = new Worker(
      SYNC_QUEUES[source],
      createSyncProcessor(source, {
        db,
        queues,
        adapters,
        logger,
        metrics,
        redact: scrub,
        rateLimitMaxWaitMs: config.sync.rateLimitMaxWaitMs,
      }),
      { ...workerOptions, concurrency: config.worker.concurrency },
    );
    worker.on('failed', (job, err) => {
      void recordStalledFailure(db, logger, job, err);
    });
    workers.push(worker);
  }
  for (const worker of workers) {
    worker.on('error', (err) =>
      logger.warn('worker error', { queue: worker.name, err }),
    );
  }

  let health: HealthServer | undefined;
  if (config.worker.healthPort !== 0) {
    health = await startHealthServer({
      port: config.worker.healthPort,
      host: '0.0.0.0',
      metrics: metrics.registry,
      checks: {
        redis: async () => {
          await connection.ping();
        },
        postgres: async () => {
          await db.$queryRaw`SELECT 1`;
        },
      },
    });
  }
  const stopWatching =
    loaded.configFile === undefined
      ? () => undefined
      : watchCredentials({
          configFile: loaded.configFile,
          config,
          adapters,
          logger,
          metrics,
          onSecrets: (added) => {
            secrets = [...secrets, ...added];
            addLoggerSecrets(logger, added);
          },
        });
  logger.info('worker started', {
    queues: workers.map((worker) => worker.name),
    concurrency: config.worker.concurrency,
    healthPort: health?.port,
  });

  return {
    metrics,
    health,
    stop: () => {
      stopWatching();
      return stopAll({
        workers,
        queues,
        adapters,
        db,
        connection,
        health,
        logger,
        graceMs: config.worker.shutdownGraceMs,
      });
    },
  };
}

/*
 * A job that stalled more often than maxStalledCount is failed by BullMQ's
 * stalled-job check, without our processor running, so its issue would keep
 * a stale sync_status. Record the failure here instead.
 */
async function recordStalledFailure(
  db: Database,
  logger: Logger,
  job: Job<SyncJobData> | undefined,
  err: Error,
): Promise<void> {
  if (job === undefined || !/stalled/i.test(err.message)) {
    return;
  }
  const message =
    'the worker running this sync stopped responding more than twice (crash or out of memory?): check the worker logs';
  try {
    await recordSyncFailure(db, job.data.issueId, message, new Date());
    logger.error('sync failed: job stalled too often', {
      queue: job.queueName,
      jobId: job.id,
      issueId: job.data.issueId,
    });
  } catch (recordErr) {
    logger.error('could not record a stalled job as failed', {
      queue: job.queueName,
      jobId: job.id,
      issueId: job.data.issueId,
      err: recordErr,
    });
  }
}

interface StopOptions {
  workers: Worker[];
  queues: QueueSet;
  adapters: Record<string, TrackerAdapter>;
  db: Database;
  connection: Redis;
  health?: HealthServer;
  logger: Logger;
  graceMs: number;
}

async function stopAll(options: StopOptions): Promise<void> {
  const closing = Promise.all(options.workers.map((worker) => worker.close()));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    closing.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), options.graceMs);
    }),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    // Jobs still running go back to the queue through the stalled-job check.
    options.logger.warn(
      'running jobs did not finish within the grace time; closing anyway',
      {
        graceMs: options.graceMs,
      },
    );
    await Promise.all(options.workers.map((worker) => worker.close(true)));
  }
  await Promise.all(
    Object.values(options.adapters).map((adapter) => adapter.close()),
  );
  await options.queues.close();
  await options.health?.close();
  await options.db.$disconnect();
  options.connection.disconnect();
}
