import {
  MAX_TIMER_MS,
  formatDuration,
  parseBasePath,
  parseBoolean,
  parseChoice,
  parseDatabaseUrl,
  parseDuration,
  parseInteger,
  parseListenHost,
  parsePassword,
  parseQueuePrefix,
  parseRedisUrl,
  parseToken,
  parseTrackerUrl,
  parseUsername,
  schemaOf,
} from './value-parsers';
import type { ValueSchema } from './value-parsers';

/** How a secret option is masked: whole value, or the password in a URL. */
export type SecretKind = 'value' | 'url';

/** Values that one option's schema depends on. */
export interface ParseContext {
  allowHttp: boolean;
}

/** One configuration option: its variable, default, parser and place in AppConfig. */
export interface OptionDefinition {
  /** Environment variable; the file key is the same name in lower case. */
  readonly name: string;
  readonly defaultValue: string | undefined;
  readonly secret?: SecretKind;
  /** Dotted path of the value in AppConfig, such as `sync.intervalMs`. */
  readonly path: string;
  /** Keeps surrounding whitespace, which may belong to a password. */
  readonly keepWhitespace?: boolean;
  schema(context: ParseContext): ValueSchema<unknown>;
  /** Formats the parsed value; String() when absent. */
  display?(value: unknown): string;
}

function integer(min: number, max: number, unit?: string) {
  return () => schemaOf((text) => parseInteger(text, { min, max, unit }));
}

function milliseconds(min: number) {
  return integer(min, MAX_TIMER_MS, 'milliseconds');
}

function port(allowZero: boolean) {
  const min = allowZero ? 0 : 1;
  return integer(min, 65535);
}

const showDuration = (value: unknown) => formatDuration(value as number);

export const OPTIONS: readonly OptionDefinition[] = [
  {
    name: 'DATABASE_URL',
    defaultValue: 'postgresql://postgres:postgres@localhost:5432/issue_sync',
    secret: 'url',
    path: 'databaseUrl',
    schema: () => schemaOf(parseDatabaseUrl),
  },
  {
    name: 'DATABASE_POOL_SIZE',
    defaultValue: '10',
    path: 'databasePoolSize',
    schema: integer(1, 1000),
  },
  {
    name: 'REDIS_URL',
    defaultValue: 'redis://localhost:6379',
    secret: 'url',
    path: 'redisUrl',
    schema: () => schemaOf(parseRedisUrl),
  },
  {
    name: 'QUEUE_PREFIX',
    defaultValue: 'issue-sync',
    path: 'queuePrefix',
    schema: () => schemaOf(parseQueuePrefix),
  },
  {
    name: 'GITHUB_TOKEN',
    defaultValue: undefined,
    secret: 'value',
    path: 'github.token',
    schema: () => schemaOf(parseToken),
  },
  {
    name: 'GITHUB_API_URL',
    defaultValue: 'https://api.github.com',
    path: 'github.apiUrl',
    schema: ({ allowHttp }) =>
      schemaOf((text) =>
        parseTrackerUrl(text, {
          example: 'https://api.github.com',
          credentialsAdvice: ' and set GITHUB_TOKEN instead',
          allowHttp,
        }),
      ),
  },
  {
    name: 'JIRA_USERNAME',
    defaultValue: undefined,
    path: 'jira.username',
    schema: () => schemaOf(parseUsername),
  },
  {
    name: 'JIRA_TOKEN',
    defaultValue: undefined,
    secret: 'value',
    path: 'jira.token',
    schema: () => schemaOf(parseToken),
  },
  {
    name: 'JIRA_BASE_URL',
    defaultValue: 'https://warthogs.atlassian.net',
    path: 'jira.baseUrl',
    schema: ({ allowHttp }) =>
      schemaOf((text) =>
        parseTrackerUrl(text, {
          example: 'https://example.atlassian.net',
          credentialsAdvice: ' and set JIRA_USERNAME and JIRA_TOKEN instead',
          allowHttp,
        }),
      ),
  },
  {
    name: 'LAUNCHPAD_API_URL',
    defaultValue: 'https://api.launchpad.net/devel',
    path: 'launchpad.apiUrl',
    schema: ({ allowHttp }) =>
      schemaOf((text) =>
        parseTrackerUrl(text, {
          example: 'https://api.launchpad.net/devel',
          credentialsAdvice: ', since Launchpad is read anonymously',
          allowHttp,
        }),
      ),
  },
  {
    name: 'TRACKER_TIMEOUT_MS',
    defaultValue: '15000',
    path: 'tracker.timeoutMs',
    schema: milliseconds(100),
  },
  {
    name: 'TRACKER_BATCH_WINDOW_MS',
    defaultValue: '5',
    path: 'tracker.batchWindowMs',
    schema: integer(0, 1000, 'milliseconds'),
  },
  {
    name: 'TRACKER_BATCH_SIZE',
    defaultValue: '50',
    path: 'tracker.batchSize',
    schema: integer(1, 100),
  },
  {
    name: 'TRACKER_MAX_RESPONSE_BYTES',
    defaultValue: String(5 * 1024 * 1024),
    path: 'tracker.maxResponseBytes',
    schema: integer(1024, 1024 * 1024 * 1024, 'bytes'),
  },
  {
    name: 'TRACKER_ALLOW_HTTP',
    defaultValue: 'false',
    path: 'tracker.allowHttp',
    schema: () => schemaOf(parseBoolean),
  },
  {
    name: 'SYNC_INTERVAL',
    defaultValue: '15m',
    path: 'sync.intervalMs',
    schema: () =>
      schemaOf((text) =>
        parseDuration(text, {
          units: ['s', 'm', 'h'],
          minMs: 1000,
          maxMs: MAX_TIMER_MS,
          example: '15m',
        }),
      ),
    display: showDuration,
  },
  {
    name: 'SYNC_RETRY_ATTEMPTS',
    defaultValue: '5',
    path: 'sync.retryAttempts',
    schema: integer(1, 100),
  },
  {
    name: 'SYNC_RETRY_BACKOFF_MS',
    defaultValue: '30000',
    path: 'sync.retryBackoffMs',
    schema: milliseconds(0),
  },
  {
    name: 'SYNC_RATE_LIMIT_MAX_WAIT_MS',
    defaultValue: '3600000',
    path: 'sync.rateLimitMaxWaitMs',
    schema: milliseconds(0),
  },
  {
    name: 'SWEEP_PAGE_SIZE',
    defaultValue: '1000',
    path: 'sync.sweepPageSize',
    schema: integer(1, 10000),
  },
  {
    name: 'FAILED_JOBS_KEEP_COUNT',
    defaultValue: '10000',
    path: 'sync.failedJobsKeepCount',
    schema: integer(0, 10_000_000),
  },
  {
    name: 'FAILED_JOBS_KEEP_AGE',
    defaultValue: '7d',
    path: 'sync.failedJobsKeepAgeSec',
    schema: () =>
      schemaOf(
        (text) =>
          parseDuration(text, {
            units: ['s', 'm', 'h', 'd'],
            bareUnit: 's',
            minMs: 1000,
            maxMs: 3650 * 86_400_000,
            example: '7d',
          }) / 1000,
      ),
    display: (value) => formatDuration((value as number) * 1000),
  },
  {
    name: 'WORKER_CONCURRENCY',
    defaultValue: '50',
    path: 'worker.concurrency',
    schema: integer(1, 1000),
  },
  {
    name: 'SHUTDOWN_GRACE_MS',
    defaultValue: '25000',
    path: 'worker.shutdownGraceMs',
    schema: milliseconds(0),
  },
  {
    name: 'WORKER_LOCK_DURATION_MS',
    defaultValue: '30000',
    path: 'worker.lockDurationMs',
    schema: milliseconds(1000),
  },
  {
    name: 'WORKER_HEALTH_PORT',
    defaultValue: '3001',
    path: 'worker.healthPort',
    schema: port(true),
  },
  {
    name: 'SCHEDULER_HEALTH_PORT',
    defaultValue: '3002',
    path: 'scheduler.healthPort',
    schema: port(true),
  },
  {
    name: 'SCHEDULER_REFRESH_MS',
    defaultValue: '30000',
    path: 'scheduler.refreshMs',
    schema: milliseconds(1000),
  },
  {
    name: 'DASHBOARD_PORT',
    defaultValue: '3000',
    path: 'dashboard.port',
    // 0 picks a free port, which tests use.
    schema: port(true),
  },
  {
    name: 'DASHBOARD_HOST',
    defaultValue: '127.0.0.1',
    path: 'dashboard.host',
    schema: () => schemaOf(parseListenHost),
  },
  {
    name: 'DASHBOARD_USERNAME',
    defaultValue: undefined,
    path: 'dashboard.username',
    schema: () => schemaOf(parseUsername),
  },
  {
    name: 'DASHBOARD_PASSWORD',
    defaultValue: undefined,
    secret: 'value',
    path: 'dashboard.password',
    keepWhitespace: true,
    schema: () => schemaOf(parsePassword),
  },
  {
    name: 'DASHBOARD_BASE_PATH',
    defaultValue: '',
    path: 'dashboard.basePath',
    schema: () => schemaOf(parseBasePath),
  },
  {
    name: 'LOG_LEVEL',
    defaultValue: 'info',
    path: 'log.level',
    schema: () =>
      schemaOf((text) => parseChoice(text, ['error', 'warn', 'info', 'debug'])),
  },
  {
    name: 'LOG_FORMAT',
    defaultValue: 'json',
    path: 'log.format',
    schema: () => schemaOf((text) => parseChoice(text, ['json', 'pretty'])),
  },
];

/** Names of every option, in the order `issue-sync config` lists them. */
export const OPTION_NAMES: readonly string[] = OPTIONS.map(
  (option) => option.name,
);

/** Options whose value is set together with a partner or not at all. */
export const OPTION_PAIRS: ReadonlyArray<{
  first: string;
  second: string;
  firstMeaning: string;
  secondMeaning: string;
}> = [
  {
    first: 'JIRA_USERNAME',
    second: 'JIRA_TOKEN',
    firstMeaning: 'the Jira account email',
    secondMeaning: 'a Jira API token',
  },
  {
    first: 'DASHBOARD_USERNAME',
    second: 'DASHBOARD_PASSWORD',
    firstMeaning: 'the dashboard login name',
    secondMeaning: 'the dashboard password',
  },
];
