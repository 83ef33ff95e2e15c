import {
  describeConfig,
  formatConfigLines,
  secretsOf,
  summarizeConfig,
} from './describe-config';
import { loadConfig, loadConfigWithSources } from './load-config';
import { maskSecret, maskUrlPassword } from './secret-mask';

const GITHUB_TOKEN = 'ghp_canaryGithub0000000000000000000wxyz';
const JIRA_TOKEN = 'ATATT3xFfGF0canaryJiraToken0000abcd';
const DASHBOARD_PASSWORD = 'canary-dashboard-pw';

const SECRET_ENV: NodeJS.ProcessEnv = {
  DATABASE_URL: 'postgresql://app:db%40canary-pw@db:5432/issue_sync',
  REDIS_URL: 'redis://:redis-canary-pw@cache:6379',
  GITHUB_TOKEN,
  JIRA_USERNAME: 'bot@example.com',
  JIRA_TOKEN,
  DASHBOARD_USERNAME: 'admin',
  DASHBOARD_PASSWORD,
};

const CANARIES = [
  GITHUB_TOKEN,
  JIRA_TOKEN,
  DASHBOARD_PASSWORD,
  'db%40canary-pw',
  'db@canary-pw',
  'redis-canary-pw',
];

describe('maskSecret', () => {
  it('reads unset for undefined and empty values', () => {
    expect(maskSecret(undefined)).toBe('unset');
    expect(maskSecret('')).toBe('unset');
  });

  it('hides every character of a short secret', () => {
    expect(maskSecret('nineteen-characters')).toBe('set');
  });

  it('shows the last four characters of a long secret', () => {
    expect(maskSecret(GITHUB_TOKEN)).toBe('set (…wxyz)');
  });
});

describe('maskUrlPassword', () => {
  it.each([
    ['postgresql://u:p@h:5432/d', 'postgresql://u:***@h:5432/d'],
    ['redis://:p@h:6379', 'redis://:***@h:6379'],
    ['redis://u:p@ss@h:6379/0?x=a@b', 'redis://u:***@h:6379/0?x=a@b'],
    ['redis://h:6379', 'redis://h:6379'],
    ['redis://user@h:6379', 'redis://user@h:6379'],
    ['not a url', 'not a url'],
  ])('masks %s', (url, masked) => {
    expect(maskUrlPassword(url)).toBe(masked);
  });
});

describe('summarizeConfig', () => {
  it('masks every secret and keeps other values', () => {
    const summary = summarizeConfig(loadConfig(SECRET_ENV));

    expect(summary.databaseUrl).toBe('postgresql://app:***@db:5432/issue_sync');
    expect(summary.redisUrl).toBe('redis://:***@cache:6379');
    expect(summary.github).toEqual({
      token: 'set (…wxyz)',
      apiUrl: 'https://api.github.com',
    });
    expect(summary.jira).toEqual({
      username: 'bot@example.com',
      token: 'set (…abcd)',
      baseUrl: 'https://warthogs.atlassian.net',
    });
    expect(summary.dashboard).toEqual({
      port: 3000,
      host: '127.0.0.1',
      username: 'admin',
      password: 'set',
      basePath: '',
    });
    expect(summary.sync).toEqual(loadConfig({}).sync);
  });

  it('contains no secret anywhere', () => {
    const text = JSON.stringify(summarizeConfig(loadConfig(SECRET_ENV)));

    for (const canary of CANARIES) {
      expect(text).not.toContain(canary);
    }
  });

  it('reads unset secrets as unset', () => {
    const summary = summarizeConfig(loadConfig({}));

    expect(summary.github).toEqual({
      token: 'unset',
      apiUrl: 'https://api.github.com',
    });
  });

  it('leaves the configuration unchanged', () => {
    const config = loadConfig(SECRET_ENV);

    summarizeConfig(config);

    expect(config.github.token).toBe(GITHUB_TOKEN);
    expect(config.databaseUrl).toBe(SECRET_ENV.DATABASE_URL);
  });
});

describe('secretsOf', () => {
  it('lists tokens, the dashboard password and URL passwords', () => {
    expect(secretsOf(loadConfig(SECRET_ENV))).toEqual([
      'db%40canary-pw',
      'db@canary-pw',
      'redis-canary-pw',
      GITHUB_TOKEN,
      JIRA_TOKEN,
      DASHBOARD_PASSWORD,
    ]);
  });

  it('leaves out a URL password equal to its user name', () => {
    expect(secretsOf(loadConfig({}))).toEqual([]);
  });
});

describe('describeConfig', () => {
  it('lists every option with value and source', () => {
    const entries = describeConfig(
      loadConfigWithSources({ ...SECRET_ENV, SYNC_INTERVAL: '90m' }),
    );

    expect(entries).toHaveLength(35);
    expect(entries.slice(0, 5)).toEqual([
      {
        name: 'DATABASE_URL',
        fileKey: 'database_url',
        value: 'postgresql://app:***@db:5432/issue_sync',
        source: 'environment',
      },
      {
        name: 'DATABASE_POOL_SIZE',
        fileKey: 'database_pool_size',
        value: '10',
        source: 'default',
      },
      {
        name: 'REDIS_URL',
        fileKey: 'redis_url',
        value: 'redis://:***@cache:6379',
        source: 'environment',
      },
      {
        name: 'QUEUE_PREFIX',
        fileKey: 'queue_prefix',
        value: 'issue-sync',
        source: 'default',
      },
      {
        name: 'GITHUB_TOKEN',
        fileKey: 'github_token',
        value: 'set (…wxyz)',
        source: 'environment',
      },
    ]);
  });

  it('formats durations, booleans, empty and unset values', () => {
    const entries = describeConfig(
      loadConfigWithSources({ SYNC_INTERVAL: '90m' }),
    );
    const valueOf = (name: string) =>
      entries.find((entry) => entry.name === name)?.value;

    expect(valueOf('SYNC_INTERVAL')).toBe('90m');
    expect(valueOf('FAILED_JOBS_KEEP_AGE')).toBe('7d');
    expect(valueOf('TRACKER_ALLOW_HTTP')).toBe('false');
    expect(valueOf('DASHBOARD_BASE_PATH')).toBe('(empty)');
    expect(valueOf('JIRA_USERNAME')).toBe('unset');
    expect(valueOf('JIRA_TOKEN')).toBe('unset');
  });

  it('shows no secret', () => {
    const text = JSON.stringify(
      describeConfig(loadConfigWithSources(SECRET_ENV)),
    );

    for (const canary of CANARIES) {
      expect(text).not.toContain(canary);
    }
  });
});

describe('formatConfigLines', () => {
  it('aligns names, values and sources', () => {
    expect(
      formatConfigLines([
        {
          name: 'SYNC_INTERVAL',
          fileKey: 'sync_interval',
          value: '15m',
          source: 'default',
        },
        {
          name: 'LOG_LEVEL',
          fileKey: 'log_level',
          value: 'debug',
          source: 'file',
        },
      ]),
    ).toEqual(['SYNC_INTERVAL  15m    default', 'LOG_LEVEL      debug  file']);
  });
});
