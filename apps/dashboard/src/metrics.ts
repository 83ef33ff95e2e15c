import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import {
  SYNC_STATUSES,
  countBySyncStatus,
  type Database,
} from '@issue-sync/db';
import type { QueueSet } from '@issue-sync/queue';
import { ISSUE_SOURCES } from '@issue-sync/tracker-core';
import { readSweepInfo } from './sweep-info';
import { REDIS_READ_TIMEOUT_MS, withTimeLimit } from './time-limit';

/**
 * Job states reported per queue, as BullMQ 6's getJobCounts names them. A
 * paused queue keeps its jobs in `waiting` there.
 */
export const JOB_STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'failed',
  'completed',
] as const;

export interface MetricsLogger {
  warn(message: string, meta?: Record<string, unknown>): unknown;
}

export interface DashboardMetricsOptions {
  db: Database;
  queues: QueueSet;
  logger: MetricsLogger;
  /** How long one reading of the database and Redis serves scrapes. */
  cacheMs: number;
}

interface Reading {
  queueCounts?: Array<{ queue: string; counts: Record<string, number> }>;
  issueCounts?: Array<{ source: string; syncStatus: string; count: number }>;
  lastSweepAt?: Date;
  nextSweepAt?: Date;
  databaseUp: boolean;
  redisUp: boolean;
}

async function readQueues(queues: QueueSet): Promise<Partial<Reading>> {
  const [queueCounts, sweep] = await Promise.all([
    Promise.all(
      queues.all().map(async (queue) => ({
        queue: queue.name,
        counts: await queue.getJobCounts(...JOB_STATES),
      })),
    ),
    readSweepInfo(queues.sweep),
  ]);

  return {
    queueCounts,
    lastSweepAt: sweep.lastCompleted?.finishedAt,
    nextSweepAt: sweep.nextRunAt,
  };
}

async function readReading(options: DashboardMetricsOptions): Promise<Reading> {
  const [fromRedis, fromDatabase] = await Promise.allSettled([
    withTimeLimit(readQueues(options.queues), REDIS_READ_TIMEOUT_MS),
    countBySyncStatus(options.db),
  ]);
  const reading: Reading = {
    databaseUp: fromDatabase.status === 'fulfilled',
    redisUp: fromRedis.status === 'fulfilled',
  };
  if (fromRedis.status === 'fulfilled') {
    Object.assign(reading, fromRedis.value);
  } else {
    options.logger.warn('metrics: reading the queues failed', {
      err: fromRedis.reason,
    });
  }
  if (fromDatabase.status === 'fulfilled') {
    reading.issueCounts = fromDatabase.value;
  } else {
    options.logger.warn('metrics: counting issues failed', {
      err: fromDatabase.reason,
    });
  }

  return reading;
}

// Without Redis the sweep times are unknown, which NaN states; 0 would
// claim that no sweep ran or is scheduled.
function toSeconds(date: Date | undefined, reading: Reading): number {
  if (!reading.redisUp) {
    return Number.NaN;
  }

  return date === undefined ? 0 : date.getTime() / 1000;
}

/**
 * Creates the registry served at /metrics. Values are read when Prometheus
 * scrapes, through the gauges' collect callbacks, and one reading is
 * shared by all gauges and reused for `cacheMs`, so frequent scrapes cost
 * one grouped count and one round of job counts per period.
 */
export function createDashboardMetrics(
  options: DashboardMetricsOptions,
): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  let cached: { at: number; reading: Promise<Reading> } | undefined;
  const read = (): Promise<Reading> => {
    const now = Date.now();
    if (cached === undefined || now - cached.at >= options.cacheMs) {
      cached = { at: now, reading: readReading(options) };
    }

    return cached.reading;
  };

  new Gauge({
    name: 'issue_sync_queue_jobs',
    help: 'Jobs per queue and state.',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      const reading = await read();
      this.reset();
      for (const { queue, counts } of reading.queueCounts ?? []) {
        for (const state of JOB_STATES) {
          this.set({ queue, state }, counts[state] ?? 0);
        }
      }
    },
  });

  new Gauge({
    name: 'issue_sync_issues',
    help: 'Registered issues per tracker and sync_status.',
    labelNames: ['source', 'sync_status'],
    registers: [registry],
    async collect() {
      const reading = await read();
      this.reset();
      if (reading.issueCounts === undefined) {
        return;
      }
      for (const source of ISSUE_SOURCES) {
        for (const syncStatus of SYNC_STATUSES) {
          const row = reading.issueCounts.find(
            (count) =>
              count.source === source && count.syncStatus === syncStatus,
          );
          this.set({ source, sync_status: syncStatus }, row?.count ?? 0);
        }
      }
    },
  });

  new Gauge({
    name: 'issue_sync_last_sweep_timestamp_seconds',
    help: 'When the newest completed sweep finished, in Unix seconds; 0 when none is kept, NaN while Redis is unreachable.',
    registers: [registry],
    async collect() {
      const reading = await read();
      this.set(toSeconds(reading.lastSweepAt, reading));
    },
  });

  new Gauge({
    name: 'issue_sync_next_sweep_timestamp_seconds',
    help: 'When the sweep schedule runs next, in Unix seconds; 0 when no schedule is registered, NaN while Redis is unreachable.',
    registers: [registry],
    async collect() {
      const reading = await read();
      this.set(toSeconds(reading.nextSweepAt, reading));
    },
  });

  new Gauge({
    name: 'issue_sync_dashboard_collector_up',
    help: 'Whether the last reading of the component for these metrics worked (1) or failed (0).',
    labelNames: ['component'],
    registers: [registry],
    async collect() {
      const reading = await read();
      this.set({ component: 'postgres' }, reading.databaseUp ? 1 : 0);
      this.set({ component: 'redis' }, reading.redisUp ? 1 : 0);
    },
  });

  return registry;
}
