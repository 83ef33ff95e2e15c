/**
 * The validated configuration every app receives. Field comments name the
 * environment variable each value comes from.
 */
export interface AppConfig {
  /** DATABASE_URL */
  databaseUrl: string;
  /** DATABASE_POOL_SIZE: connections per process; default 10. */
  databasePoolSize: number;
  /** REDIS_URL */
  redisUrl: string;
  /** QUEUE_PREFIX */
  queuePrefix: string;
  github: {
    /** GITHUB_TOKEN; undefined when unset or empty. */
    token: string | undefined;
    /** GITHUB_API_URL without a trailing slash. */
    apiUrl: string;
  };
  jira: {
    /** JIRA_USERNAME */
    username: string | undefined;
    /** JIRA_TOKEN */
    token: string | undefined;
    /** JIRA_BASE_URL without a trailing slash. */
    baseUrl: string;
  };
  launchpad: {
    /** LAUNCHPAD_API_URL without a trailing slash. */
    apiUrl: string;
  };
  tracker: {
    /** TRACKER_TIMEOUT_MS: connect plus response time of one request; default 15000. */
    timeoutMs: number;
    /** TRACKER_BATCH_WINDOW_MS: how long to gather calls into one batch; default 5. */
    batchWindowMs: number;
    /** TRACKER_BATCH_SIZE: issues per GitHub or Jira request, 1 to 100; default 50. */
    batchSize: number;
    /** TRACKER_MAX_RESPONSE_BYTES: larger bodies fail as invalid_response; default 5 MiB. */
    maxResponseBytes: number;
    /**
     * TRACKER_ALLOW_HTTP: lets tracker URLs use plain http on hosts other
     * than loopback, as the docker compose demo does; default false.
     */
    allowHttp: boolean;
  };
  sync: {
    /** SYNC_INTERVAL in milliseconds. */
    intervalMs: number;
    /** SYNC_RETRY_ATTEMPTS: attempts per sync job, counting the first. */
    retryAttempts: number;
    /** SYNC_RETRY_BACKOFF_MS: base delay of the exponential backoff. */
    retryBackoffMs: number;
    /** SYNC_RATE_LIMIT_MAX_WAIT_MS: total rate-limit waiting per job before it fails; default 1h. */
    rateLimitMaxWaitMs: number;
    /** SWEEP_PAGE_SIZE: issue rows read and jobs added per step of a sweep; default 1000. */
    sweepPageSize: number;
    /** FAILED_JOBS_KEEP_COUNT: failed jobs kept per queue; default 10000. */
    failedJobsKeepCount: number;
    /** FAILED_JOBS_KEEP_AGE: seconds a failed job is kept; default 7 days. */
    failedJobsKeepAgeSec: number;
  };
  worker: {
    /** WORKER_CONCURRENCY: concurrent sync jobs per tracker queue per process. */
    concurrency: number;
    /** SHUTDOWN_GRACE_MS: how long SIGTERM waits for running jobs; default 25000. */
    shutdownGraceMs: number;
    /** WORKER_HEALTH_PORT: /healthz, /readyz and /metrics; 0 turns it off; default 3001. */
    healthPort: number;
    /**
     * WORKER_LOCK_DURATION_MS: how long a job stays locked without a renewal;
     * a crashed worker's jobs go back to the queue after about this long;
     * default 30000.
     */
    lockDurationMs: number;
  };
  scheduler: {
    /** SCHEDULER_HEALTH_PORT: /healthz and /readyz; 0 turns it off; default 3002. */
    healthPort: number;
    /** SCHEDULER_REFRESH_MS: how often the schedule is upserted again; default 30000. */
    refreshMs: number;
  };
  dashboard: {
    /** DASHBOARD_PORT */
    port: number;
    /** DASHBOARD_HOST */
    host: string;
    /** DASHBOARD_USERNAME */
    username: string | undefined;
    /** DASHBOARD_PASSWORD */
    password: string | undefined;
    /** DASHBOARD_BASE_PATH: path prefix behind a reverse proxy, such as /issue-sync; default empty. */
    basePath: string;
  };
  log: {
    /** LOG_LEVEL: error, warn, info, debug. */
    level: 'error' | 'warn' | 'info' | 'debug';
    /** LOG_FORMAT: json (default) or pretty. */
    format: 'json' | 'pretty';
  };
}
