import { ConfigError } from './config-error';
import type { AppConfig } from './config-types';
import { loadConfig, loadConfigWithSources } from './load-config';

const DEFAULTS: AppConfig = {
  databaseUrl: 'postgresql://postgres:postgres@localhost:5432/issue_sync',
  databasePoolSize: 10,
  redisUrl: 'redis://localhost:6379',
  queuePrefix: 'issue-sync',
  github: { token: undefined, apiUrl: 'https://api.github.com' },
  jira: {
    username: undefined,
    token: undefined,
    baseUrl: 'https://warthogs.atlassian.net',
  },
  launchpad: { apiUrl: 'https://api.launchpad.net/devel' },
  tracker: {
    timeoutMs: 15000,
    batchWindowMs: 5,
    batchSize: 50,
    maxResponseBytes: 5242880,
    allowHttp: false,
  },
  sync: {
    intervalMs: 900000,
    retryAttempts: 5,
    retryBackoffMs: 30000,
    rateLimitMaxWaitMs: 3600000,
    sweepPageSize: 1000,
    failedJobsKeepCount: 10000,
    failedJobsKeepAgeSec: 604800,
  },
  worker: {
    concurrency: 50,
    shutdownGraceMs: 25000,
    lockDurationMs: 30000,
    healthPort: 3001,
  },
  scheduler: { healthPort: 3002, refreshMs: 30000 },
  dashboard: {
    port: 3000,
    host: '127.0.0.1',
    username: undefined,
    password: undefined,
    basePath: '',
  },
  log: { level: 'info', format: 'json' },
};

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  describe('when no variable is set', () => {
    it('returns every default', () => {
      expect(loadConfig({})).toEqual(DEFAULTS);
    });

    it('keeps unset secrets as undefined keys', () => {
      const config = loadConfig({});

      expect('token' in config.github).toBe(true);
      expect(config.github.token).toBeUndefined();
      expect(config.jira.token).toBeUndefined();
      expect(config.dashboard.password).toBeUndefined();
    });

    it('records every source as default', () => {
      const { sources } = loadConfigWithSources({});

      expect(Object.values(sources).every((s) => s === 'default')).toBe(true);
      expect(Object.keys(sources)).toHaveLength(35);
    });
  });

  describe('when variables are empty or blank', () => {
    it('treats them as unset', () => {
      const config = loadConfig({
        SYNC_INTERVAL: '',
        GITHUB_TOKEN: '',
        JIRA_BASE_URL: '   ',
        DASHBOARD_PASSWORD: '',
        DASHBOARD_USERNAME: '',
      });

      expect(config).toEqual(DEFAULTS);
    });
  });

  describe('when every variable is set to a valid value', () => {
    const env: NodeJS.ProcessEnv = {
      DATABASE_URL: 'postgres://app:s3cret@db.internal:6543/tracking',
      DATABASE_POOL_SIZE: '25',
      REDIS_URL: 'rediss://:redispass@cache.internal:6380/2',
      QUEUE_PREFIX: '{issue-sync}',
      GITHUB_TOKEN: ' ghp_abcdefghijklmnopqrstuvwxyz0123456789 ',
      GITHUB_API_URL: 'https://ghe.example.com/api/',
      JIRA_USERNAME: 'bot@example.com',
      JIRA_TOKEN: 'ATATT3xFfGF0token',
      JIRA_BASE_URL: 'https://example.atlassian.net//',
      LAUNCHPAD_API_URL: 'http://127.0.0.1:4000/launchpad/devel/',
      TRACKER_TIMEOUT_MS: '2000',
      TRACKER_BATCH_WINDOW_MS: '0',
      TRACKER_BATCH_SIZE: '100',
      TRACKER_MAX_RESPONSE_BYTES: '1048576',
      TRACKER_ALLOW_HTTP: 'yes',
      SYNC_INTERVAL: '30s',
      SYNC_RETRY_ATTEMPTS: '3',
      SYNC_RETRY_BACKOFF_MS: '0',
      SYNC_RATE_LIMIT_MAX_WAIT_MS: '60000',
      SWEEP_PAGE_SIZE: '250',
      FAILED_JOBS_KEEP_COUNT: '0',
      FAILED_JOBS_KEEP_AGE: '86400',
      WORKER_CONCURRENCY: '8',
      SHUTDOWN_GRACE_MS: '5000',
      WORKER_LOCK_DURATION_MS: '60000',
      WORKER_HEALTH_PORT: '0',
      SCHEDULER_HEALTH_PORT: '9102',
      SCHEDULER_REFRESH_MS: '1000',
      DASHBOARD_PORT: '8080',
      DASHBOARD_HOST: '0.0.0.0',
      DASHBOARD_USERNAME: 'admin',
      DASHBOARD_PASSWORD: ' pass phrase ',
      DASHBOARD_BASE_PATH: '/tools/issue-sync/',
      LOG_LEVEL: 'DEBUG',
      LOG_FORMAT: 'pretty',
    };

    it('parses and normalises each value', () => {
      expect(loadConfig(env)).toEqual({
        databaseUrl: 'postgres://app:s3cret@db.internal:6543/tracking',
        databasePoolSize: 25,
        redisUrl: 'rediss://:redispass@cache.internal:6380/2',
        queuePrefix: '{issue-sync}',
        github: {
          token: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
          apiUrl: 'https://ghe.example.com/api',
        },
        jira: {
          username: 'bot@example.com',
          token: 'ATATT3xFfGF0token',
          baseUrl: 'https://example.atlassian.net',
        },
        launchpad: { apiUrl: 'http://127.0.0.1:4000/launchpad/devel' },
        tracker: {
          timeoutMs: 2000,
          batchWindowMs: 0,
          batchSize: 100,
          maxResponseBytes: 1048576,
          allowHttp: true,
        },
        sync: {
          intervalMs: 30000,
          retryAttempts: 3,
          retryBackoffMs: 0,
          rateLimitMaxWaitMs: 60000,
          sweepPageSize: 250,
          failedJobsKeepCount: 0,
          failedJobsKeepAgeSec: 86400,
        },
        worker: {
          concurrency: 8,
          shutdownGraceMs: 5000,
          lockDurationMs: 60000,
          healthPort: 0,
        },
        scheduler: { healthPort: 9102, refreshMs: 1000 },
        dashboard: {
          port: 8080,
          host: '0.0.0.0',
          username: 'admin',
          password: ' pass phrase ',
          basePath: '/tools/issue-sync',
        },
        log: { level: 'debug', format: 'pretty' },
      } satisfies AppConfig);
    });

    it('records every source as environment', () => {
      const { sources } = loadConfigWithSources(env);

      expect(Object.values(sources).every((s) => s === 'environment')).toBe(
        true,
      );
    });
  });

  describe('SYNC_INTERVAL', () => {
    it.each([
      ['30s', 30_000],
      ['15m', 900_000],
      ['1h', 3_600_000],
      ['1s', 1000],
      ['596h', 596 * 3_600_000],
    ])('reads %s as %d ms', (text, ms) => {
      expect(loadConfig({ SYNC_INTERVAL: text }).sync.intervalMs).toBe(ms);
    });

    it.each([
      ['15 minutes', 'use a number with s, m or h, such as 15m'],
      ['900000', 'use a number with s, m or h, such as 15m'],
      ['1.5h', 'use a number with s, m or h, such as 15m'],
      ['500ms', 'use a number with s, m or h, such as 15m'],
      ['-5m', 'use a number with s, m or h, such as 15m'],
      ['2d', 'use a number with s, m or h, such as 15m'],
      ['0s', 'use at least 1s'],
      ['600h', 'use at most 596h'],
      ['99999999999999999999m', 'use at most 35791m'],
    ])('rejects %j', (text, expected) => {
      expect(problemsOf({ SYNC_INTERVAL: text })).toEqual([
        `SYNC_INTERVAL=${JSON.stringify(text)} is invalid: ${expected}`,
      ]);
    });
  });

  describe('FAILED_JOBS_KEEP_AGE', () => {
    it.each([
      ['3600', 3600],
      ['12h', 43200],
      ['30d', 2_592_000],
    ])('reads %s as %d seconds', (text, seconds) => {
      const config = loadConfig({ FAILED_JOBS_KEEP_AGE: text });

      expect(config.sync.failedJobsKeepAgeSec).toBe(seconds);
    });

    it('rejects a word', () => {
      expect(problemsOf({ FAILED_JOBS_KEEP_AGE: 'a week' })).toEqual([
        'FAILED_JOBS_KEEP_AGE="a week" is invalid: use a number of seconds, or a number with s, m, h or d, such as 7d',
      ]);
    });
  });

  describe('when a value is invalid', () => {
    it.each([
      [
        'DATABASE_URL',
        'mysql://root@localhost/db',
        'DATABASE_URL="mysql://root@localhost/db" is invalid: use postgresql://USER:PASSWORD@HOST:PORT/DATABASE',
      ],
      [
        'DATABASE_POOL_SIZE',
        '0',
        'DATABASE_POOL_SIZE="0" is invalid: use a whole number from 1 to 1000',
      ],
      [
        'REDIS_URL',
        'localhost:6379',
        'REDIS_URL="localhost:6379" is invalid: use redis://[:PASSWORD@]HOST:PORT[/DB], or rediss:// for TLS',
      ],
      [
        'QUEUE_PREFIX',
        'issue:sync',
        'QUEUE_PREFIX="issue:sync" is invalid: use letters, digits, -, _ and one {hash-tag} at most (no :), such as issue-sync or {issue-sync}',
      ],
      [
        'QUEUE_PREFIX',
        '{}',
        'QUEUE_PREFIX="{}" is invalid: use letters, digits, -, _ and one {hash-tag} at most (no :), such as issue-sync or {issue-sync}',
      ],
      [
        'GITHUB_TOKEN',
        'ghp_with space',
        'GITHUB_TOKEN=(secret, 14 characters) is invalid: use the token alone, without spaces, control characters or non-ASCII characters',
      ],
      [
        'GITHUB_API_URL',
        'api.github.com',
        'GITHUB_API_URL="api.github.com" is invalid: use an absolute http(s) URL such as https://api.github.com',
      ],
      [
        'GITHUB_API_URL',
        'ftp://api.github.com',
        'GITHUB_API_URL="ftp://api.github.com" is invalid: use an absolute http(s) URL such as https://api.github.com',
      ],
      [
        'GITHUB_API_URL',
        'https://bot:hunter2@api.github.com',
        'GITHUB_API_URL="https://bot:***@api.github.com" is invalid: remove the user name and password from the URL and set GITHUB_TOKEN instead',
      ],
      [
        'GITHUB_API_URL',
        'http://tracker-sim:4000/github',
        'GITHUB_API_URL="http://tracker-sim:4000/github" is invalid: use https; plain http is accepted only for 127.0.0.1, ::1 and localhost unless TRACKER_ALLOW_HTTP=true',
      ],
      [
        'JIRA_BASE_URL',
        'https://example.atlassian.net/?x=1',
        'JIRA_BASE_URL="https://example.atlassian.net/?x=1" is invalid: remove the query string, such as https://example.atlassian.net',
      ],
      [
        'JIRA_BASE_URL',
        'https://example.atlassian.net/#top',
        'JIRA_BASE_URL="https://example.atlassian.net/#top" is invalid: remove the fragment, such as https://example.atlassian.net',
      ],
      [
        'LAUNCHPAD_API_URL',
        'https://anon@api.launchpad.net/devel',
        'LAUNCHPAD_API_URL="https://anon@api.launchpad.net/devel" is invalid: remove the user name and password from the URL, since Launchpad is read anonymously',
      ],
      [
        'TRACKER_TIMEOUT_MS',
        '15s',
        'TRACKER_TIMEOUT_MS="15s" is invalid: use a whole number of milliseconds from 100 to 2147483647',
      ],
      [
        'TRACKER_BATCH_WINDOW_MS',
        '1001',
        'TRACKER_BATCH_WINDOW_MS="1001" is invalid: use a whole number of milliseconds from 0 to 1000',
      ],
      [
        'TRACKER_BATCH_SIZE',
        '101',
        'TRACKER_BATCH_SIZE="101" is invalid: use a whole number from 1 to 100',
      ],
      [
        'TRACKER_BATCH_SIZE',
        '0',
        'TRACKER_BATCH_SIZE="0" is invalid: use a whole number from 1 to 100',
      ],
      [
        'TRACKER_MAX_RESPONSE_BYTES',
        '5MiB',
        'TRACKER_MAX_RESPONSE_BYTES="5MiB" is invalid: use a whole number of bytes from 1024 to 1073741824',
      ],
      [
        'TRACKER_ALLOW_HTTP',
        'maybe',
        'TRACKER_ALLOW_HTTP="maybe" is invalid: use true or false',
      ],
      [
        'SYNC_RETRY_ATTEMPTS',
        '-1',
        'SYNC_RETRY_ATTEMPTS="-1" is invalid: use a whole number from 1 to 100',
      ],
      [
        'SYNC_RETRY_BACKOFF_MS',
        '30s',
        'SYNC_RETRY_BACKOFF_MS="30s" is invalid: use a whole number of milliseconds from 0 to 2147483647',
      ],
      [
        'SYNC_RATE_LIMIT_MAX_WAIT_MS',
        '1e6',
        'SYNC_RATE_LIMIT_MAX_WAIT_MS="1e6" is invalid: use a whole number of milliseconds from 0 to 2147483647',
      ],
      [
        'SWEEP_PAGE_SIZE',
        '10001',
        'SWEEP_PAGE_SIZE="10001" is invalid: use a whole number from 1 to 10000',
      ],
      [
        'FAILED_JOBS_KEEP_COUNT',
        'all',
        'FAILED_JOBS_KEEP_COUNT="all" is invalid: use a whole number from 0 to 10000000',
      ],
      [
        'WORKER_CONCURRENCY',
        '0',
        'WORKER_CONCURRENCY="0" is invalid: use a whole number from 1 to 1000',
      ],
      [
        'SHUTDOWN_GRACE_MS',
        '2147483648',
        'SHUTDOWN_GRACE_MS="2147483648" is invalid: use a whole number of milliseconds from 0 to 2147483647',
      ],
      [
        'WORKER_LOCK_DURATION_MS',
        '500',
        'WORKER_LOCK_DURATION_MS="500" is invalid: use a whole number of milliseconds from 1000 to 2147483647',
      ],
      [
        'WORKER_HEALTH_PORT',
        '65536',
        'WORKER_HEALTH_PORT="65536" is invalid: use a whole number from 0 to 65535',
      ],
      [
        'SCHEDULER_HEALTH_PORT',
        'http',
        'SCHEDULER_HEALTH_PORT="http" is invalid: use a whole number from 0 to 65535',
      ],
      [
        'SCHEDULER_REFRESH_MS',
        '999',
        'SCHEDULER_REFRESH_MS="999" is invalid: use a whole number of milliseconds from 1000 to 2147483647',
      ],
      [
        'DASHBOARD_PORT',
        '3000.5',
        'DASHBOARD_PORT="3000.5" is invalid: use a whole number from 0 to 65535',
      ],
      [
        'DASHBOARD_HOST',
        'http://0.0.0.0',
        'DASHBOARD_HOST="http://0.0.0.0" is invalid: use a host name or IP address to listen on, such as 127.0.0.1 or 0.0.0.0',
      ],
      [
        'DASHBOARD_BASE_PATH',
        'issue-sync',
        'DASHBOARD_BASE_PATH="issue-sync" is invalid: use a path such as /issue-sync',
      ],
      [
        'DASHBOARD_BASE_PATH',
        '/a/../b',
        'DASHBOARD_BASE_PATH="/a/../b" is invalid: use a path such as /issue-sync',
      ],
      [
        'LOG_LEVEL',
        'verbose',
        'LOG_LEVEL="verbose" is invalid: use error, warn, info or debug',
      ],
      [
        'LOG_FORMAT',
        'text',
        'LOG_FORMAT="text" is invalid: use json or pretty',
      ],
    ])('reports %s=%j', (name, value, expected) => {
      expect(problemsOf({ [name]: value })).toEqual([expected]);
    });

    it('reports an invalid user name with its partner set', () => {
      expect(
        problemsOf({ JIRA_USERNAME: 'a:b', JIRA_TOKEN: 'token-value' }),
      ).toEqual([
        'JIRA_USERNAME="a:b" is invalid: use a user name without : or control characters',
      ]);
    });

    it('masks a short dashboard password', () => {
      expect(
        problemsOf({
          DASHBOARD_USERNAME: 'admin',
          DASHBOARD_PASSWORD: 'short',
        }),
      ).toEqual([
        'DASHBOARD_PASSWORD=(secret, 5 characters) is invalid: use at least 8 characters and no control characters',
      ]);
    });

    it('masks the password of an invalid DATABASE_URL', () => {
      const [problem] = problemsOf({
        DATABASE_URL: 'mysql://app:Sup3rSecret@db/x',
      });

      expect(problem).toBe(
        'DATABASE_URL="mysql://app:***@db/x" is invalid: use postgresql://USER:PASSWORD@HOST:PORT/DATABASE',
      );
    });

    it('masks a password containing @ in an invalid REDIS_URL', () => {
      const [problem] = problemsOf({ REDIS_URL: 'http://:p@ss@cache:6379' });

      expect(problem).toBe(
        'REDIS_URL="http://:***@cache:6379" is invalid: use redis://[:PASSWORD@]HOST:PORT[/DB], or rediss:// for TLS',
      );
      expect(problem).not.toContain('ss@');
    });

    it('escapes control characters and cuts long values', () => {
      const long = `1${'x'.repeat(5000)}`;

      expect(problemsOf({ LOG_LEVEL: 'info\u0000x' })).toEqual([
        'LOG_LEVEL="info\\u0000x" is invalid: use error, warn, info or debug',
      ]);
      expect(problemsOf({ WORKER_CONCURRENCY: long })).toEqual([
        `WORKER_CONCURRENCY=${JSON.stringify(`${long.slice(0, 100)}…`)} (5001 characters) is invalid: use a whole number from 1 to 1000`,
      ]);
    });

    it('lists every problem in one error, one line each', () => {
      let caught: unknown;
      try {
        loadConfig({
          SYNC_INTERVAL: '15 minutes',
          TRACKER_BATCH_SIZE: '500',
          LOG_LEVEL: 'loud',
        });
      } catch (error) {
        caught = error;
      }

      expect(caught).toBeInstanceOf(ConfigError);
      expect((caught as ConfigError).name).toBe('ConfigError');
      expect((caught as ConfigError).message).toBe(
        [
          'TRACKER_BATCH_SIZE="500" is invalid: use a whole number from 1 to 100',
          'SYNC_INTERVAL="15 minutes" is invalid: use a number with s, m or h, such as 15m',
          'LOG_LEVEL="loud" is invalid: use error, warn, info or debug',
        ].join('\n'),
      );
    });
  });

  describe('when only one of a credential pair is set', () => {
    it.each([
      [
        { JIRA_USERNAME: 'bot@example.com' },
        'JIRA_TOKEN is missing: JIRA_USERNAME is set, so set JIRA_TOKEN to a Jira API token as well, or unset both',
      ],
      [
        { JIRA_TOKEN: 'token-value' },
        'JIRA_USERNAME is missing: JIRA_TOKEN is set, so set JIRA_USERNAME to the Jira account email as well, or unset both',
      ],
      [
        { DASHBOARD_USERNAME: 'admin' },
        'DASHBOARD_PASSWORD is missing: DASHBOARD_USERNAME is set, so set DASHBOARD_PASSWORD to the dashboard password as well, or unset both',
      ],
      [
        { DASHBOARD_PASSWORD: 'long enough' },
        'DASHBOARD_USERNAME is missing: DASHBOARD_PASSWORD is set, so set DASHBOARD_USERNAME to the dashboard login name as well, or unset both',
      ],
    ])('reports the missing partner of %j', (env, expected) => {
      expect(problemsOf(env)).toEqual([expected]);
    });
  });

  describe('tracker URLs over plain http', () => {
    it.each([
      'http://127.0.0.1:4000/github',
      'http://127.10.0.3/github',
      'http://localhost:4000/github',
      'http://[::1]:4000/github',
    ])('accepts loopback %s', (url) => {
      expect(loadConfig({ GITHUB_API_URL: url }).github.apiUrl).toBe(url);
    });

    it('accepts other hosts with TRACKER_ALLOW_HTTP=true', () => {
      const config = loadConfig({
        TRACKER_ALLOW_HTTP: 'true',
        GITHUB_API_URL: 'http://tracker-sim:4000/github',
        JIRA_BASE_URL: 'http://tracker-sim:4000/jira/',
        LAUNCHPAD_API_URL: 'http://tracker-sim:4000/launchpad/devel',
      });

      expect(config.github.apiUrl).toBe('http://tracker-sim:4000/github');
      expect(config.jira.baseUrl).toBe('http://tracker-sim:4000/jira');
      expect(config.launchpad.apiUrl).toBe(
        'http://tracker-sim:4000/launchpad/devel',
      );
      expect(config.tracker.allowHttp).toBe(true);
    });

    it('rejects other hosts with TRACKER_ALLOW_HTTP=false', () => {
      expect(
        problemsOf({
          TRACKER_ALLOW_HTTP: 'false',
          LAUNCHPAD_API_URL: 'http://10.0.0.5/launchpad/devel',
        }),
      ).toEqual([
        'LAUNCHPAD_API_URL="http://10.0.0.5/launchpad/devel" is invalid: use https; plain http is accepted only for 127.0.0.1, ::1 and localhost unless TRACKER_ALLOW_HTTP=true',
      ]);
    });

    it('lower-cases the host and keeps the port', () => {
      const config = loadConfig({
        JIRA_BASE_URL: 'https://Example.Atlassian.NET:8443/',
      });

      expect(config.jira.baseUrl).toBe('https://example.atlassian.net:8443');
    });
  });

  describe('when reading process.env by default', () => {
    it('uses process.env without arguments', () => {
      const previous = process.env.SYNC_RETRY_ATTEMPTS;
      process.env.SYNC_RETRY_ATTEMPTS = '7';
      try {
        expect(loadConfig().sync.retryAttempts).toBe(7);
      } finally {
        if (previous === undefined) {
          delete process.env.SYNC_RETRY_ATTEMPTS;
        } else {
          process.env.SYNC_RETRY_ATTEMPTS = previous;
        }
      }
    });
  });
});
