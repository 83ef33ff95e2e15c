import client from 'prom-client';
import type { AdapterObserver } from '@issue-sync/tracker-core';

/** The worker's own Prometheus metrics, in a registry of their own. */
export class WorkerMetrics {
  readonly registry = new client.Registry();

  readonly syncs = new client.Counter({
    name: 'issue_sync_syncs_total',
    help: 'Sync job runs by tracker and outcome (synced, retry, failed, rate_limited, missing).',
    labelNames: ['tracker', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly syncDuration = new client.Histogram({
    name: 'issue_sync_sync_duration_seconds',
    help: 'Time one sync job run took, tracker call and database write included.',
    labelNames: ['tracker'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly trackerRequestDuration = new client.Histogram({
    name: 'issue_sync_tracker_request_duration_seconds',
    help: 'HTTP request time against a tracker, by endpoint.',
    labelNames: ['tracker', 'endpoint'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly trackerErrors = new client.Counter({
    name: 'issue_sync_tracker_errors_total',
    help: 'Failed tracker requests by error kind.',
    labelNames: ['tracker', 'kind'] as const,
    registers: [this.registry],
  });

  readonly batchSize = new client.Histogram({
    name: 'issue_sync_tracker_batch_size',
    help: 'Issues per batch request.',
    labelNames: ['tracker'] as const,
    buckets: [1, 2, 5, 10, 25, 50, 100],
    registers: [this.registry],
  });

  readonly sweepIssues = new client.Counter({
    name: 'issue_sync_sweep_jobs_added_total',
    help: 'Sync jobs added by sweeps, and issues skipped because a job was pending.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly lastSweep = new client.Gauge({
    name: 'issue_sync_last_sweep_timestamp_seconds',
    help: 'When this worker last finished a sweep, in Unix seconds.',
    registers: [this.registry],
  });

  constructor() {
    client.collectDefaultMetrics({
      register: this.registry,
      prefix: 'issue_sync_worker_',
    });
  }

  /** An adapter observer that feeds the tracker metrics. */
  observer(): AdapterObserver {
    return {
      onRequest: (event) => {
        this.trackerRequestDuration
          .labels(event.tracker, event.endpoint)
          .observe(event.durationMs / 1000);
        if (event.errorKind !== undefined) {
          this.trackerErrors.labels(event.tracker, event.errorKind).inc();
        }
      },
      onBatch: (event) => {
        this.batchSize.labels(event.tracker).observe(event.size);
      },
    };
  }
}
