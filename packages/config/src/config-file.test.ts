import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config-error';
import { loadConfig, loadConfigWithSources } from './load-config';

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'issue-sync-config-'));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function writeConfig(text: string, mode = 0o600): string {
  const path = join(directory, 'issue-sync.yaml');
  writeFileSync(path, text);
  chmodSync(path, mode);

  return path;
}

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error('the configuration was accepted');
}

const FLAT_FILE = [
  'github_token: ghp_fromfile000000000000000000000000000',
  'jira_username: bot@example.com',
  'jira_token: jira-file-token',
  'jira_base_url: https://example.atlassian.net/',
  'sync_interval: 5m',
  'tracker_batch_size: 20',
  'tracker_allow_http: true',
  'log_level: debug',
  '',
].join('\n');

describe('loadConfigWithSources with a configuration file', () => {
  describe('when the options sit at the top level', () => {
    it('reads every key', () => {
      const path = writeConfig(FLAT_FILE);

      const { config } = loadConfigWithSources({ ISSUE_SYNC_CONFIG: path });

      expect(config.github.token).toBe(
        'ghp_fromfile000000000000000000000000000',
      );
      expect(config.jira).toEqual({
        username: 'bot@example.com',
        token: 'jira-file-token',
        baseUrl: 'https://example.atlassian.net',
      });
      expect(config.sync.intervalMs).toBe(300_000);
      expect(config.tracker.batchSize).toBe(20);
      expect(config.tracker.allowHttp).toBe(true);
      expect(config.log.level).toBe('debug');
    });

    it('records file and default sources', () => {
      const path = writeConfig(FLAT_FILE);

      const loaded = loadConfigWithSources({ ISSUE_SYNC_CONFIG: path });

      expect(loaded.configFile).toBe(path);
      expect(loaded.sources.SYNC_INTERVAL).toBe('file');
      expect(loaded.sources.TRACKER_BATCH_SIZE).toBe('file');
      expect(loaded.sources.REDIS_URL).toBe('default');
    });
  });

  describe('when the options sit under issue-sync', () => {
    it('reads them and ignores the other top-level keys', () => {
      const path = writeConfig(
        [
          'other-tool:',
          '  colour: blue',
          'issue-sync:',
          '  sync_interval: 1h',
          '  queue_prefix: "{tracking}"',
          '  worker_concurrency: 4',
          '',
        ].join('\n'),
      );

      const config = loadConfig({}, { configFile: path });

      expect(config.sync.intervalMs).toBe(3_600_000);
      expect(config.queuePrefix).toBe('{tracking}');
      expect(config.worker.concurrency).toBe(4);
    });

    it('accepts an empty issue-sync key', () => {
      const path = writeConfig('issue-sync:\n');

      expect(loadConfig({}, { configFile: path }).sync.intervalMs).toBe(
        900_000,
      );
    });
  });

  describe('when the environment sets the same option', () => {
    it('prefers the environment', () => {
      const path = writeConfig(FLAT_FILE);

      const loaded = loadConfigWithSources({
        ISSUE_SYNC_CONFIG: path,
        SYNC_INTERVAL: '45s',
        JIRA_TOKEN: 'jira-env-token',
      });

      expect(loaded.config.sync.intervalMs).toBe(45_000);
      expect(loaded.config.jira.token).toBe('jira-env-token');
      expect(loaded.sources.SYNC_INTERVAL).toBe('environment');
      expect(loaded.sources.JIRA_TOKEN).toBe('environment');
      expect(loaded.sources.JIRA_USERNAME).toBe('file');
    });

    it('keeps the file value when the variable is empty', () => {
      const path = writeConfig(FLAT_FILE);

      const loaded = loadConfigWithSources({
        ISSUE_SYNC_CONFIG: path,
        SYNC_INTERVAL: '',
      });

      expect(loaded.config.sync.intervalMs).toBe(300_000);
      expect(loaded.sources.SYNC_INTERVAL).toBe('file');
    });
  });

  describe('when both --config and ISSUE_SYNC_CONFIG are given', () => {
    it('reads the file of options.configFile', () => {
      const chosen = writeConfig('sync_interval: 2m\n');
      const ignored = join(directory, 'missing.yaml');

      const loaded = loadConfigWithSources(
        { ISSUE_SYNC_CONFIG: ignored },
        { configFile: chosen },
      );

      expect(loaded.configFile).toBe(chosen);
      expect(loaded.config.sync.intervalMs).toBe(120_000);
    });
  });

  describe('when a key is unknown', () => {
    it('suggests the closest known key', () => {
      const path = writeConfig('jira_tokn: abc\nsync_intervall: 5m\n');

      expect(problemsOf(() => loadConfig({ ISSUE_SYNC_CONFIG: path }))).toEqual(
        [
          `unknown key "jira_tokn" in ${path}: did you mean jira_token?`,
          `unknown key "sync_intervall" in ${path}: did you mean sync_interval?`,
        ],
      );
    });

    it('suggests the lower-case spelling of a variable name', () => {
      const path = writeConfig('GITHUB_TOKEN: abc\n');

      expect(problemsOf(() => loadConfig({ ISSUE_SYNC_CONFIG: path }))).toEqual(
        [`unknown key "GITHUB_TOKEN" in ${path}: did you mean github_token?`],
      );
    });

    it('explains the key format when nothing is close', () => {
      const path = writeConfig('colour: blue\n');

      expect(problemsOf(() => loadConfig({ ISSUE_SYNC_CONFIG: path }))).toEqual(
        [
          `unknown key "colour" in ${path}: keys are the environment variable names in lower case, such as sync_interval`,
        ],
      );
    });
  });

  describe('when a value is invalid', () => {
    it('names the variable and the file key', () => {
      const path = writeConfig('sync_interval: 15 minutes\n');

      expect(problemsOf(() => loadConfig({ ISSUE_SYNC_CONFIG: path }))).toEqual(
        [
          `SYNC_INTERVAL="15 minutes" (sync_interval in ${path}) is invalid: use a number with s, m or h, such as 15m`,
        ],
      );
    });

    it('rejects a list', () => {
      const path = writeConfig('log_level:\n  - info\n  - debug\n');

      expect(problemsOf(() => loadConfig({ ISSUE_SYNC_CONFIG: path }))).toEqual(
        [`log_level in ${path} is a list or mapping: use a single value`],
      );
    });

    it('masks a secret value', () => {
      const path = writeConfig('github_token: "ghp_bad token"\n');

      const problems = problemsOf(() =>
        loadConfig({ ISSUE_SYNC_CONFIG: path }),
      );

      expect(problems).toEqual([
        `GITHUB_TOKEN=(secret, 13 characters) (github_token in ${path}) is invalid: use the token alone, without spaces, control characters or non-ASCII characters`,
      ]);
    });
  });

  describe('when the file cannot be used', () => {
    it('reports a missing file', () => {
      const path = join(directory, 'missing.yaml');

      expect(problemsOf(() => loadConfig({}, { configFile: path }))).toEqual([
        `configuration file ${path} cannot be read: it does not exist. Check the path given in --config or ISSUE_SYNC_CONFIG`,
      ]);
    });

    it('reports a directory', () => {
      expect(
        problemsOf(() => loadConfig({}, { configFile: directory })),
      ).toEqual([
        `configuration file ${directory} cannot be read: it is a directory. Check the path given in --config or ISSUE_SYNC_CONFIG`,
      ]);
    });

    it('reports invalid YAML without quoting its lines', () => {
      const path = writeConfig(
        'github_token: ghp_secretsecretsecret\n  bad: [indent\n',
      );

      const problems = problemsOf(() => loadConfig({}, { configFile: path }));

      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(
        new RegExp(
          `^configuration file ${path} is not valid YAML: [A-Z_]+ at line \\d+, column \\d+$`,
        ),
      );
      expect(problems[0]).not.toContain('ghp_secretsecretsecret');
    });

    it('reports a top level that is not a mapping', () => {
      const path = writeConfig('- sync_interval: 5m\n');

      expect(problemsOf(() => loadConfig({}, { configFile: path }))).toEqual([
        `configuration file ${path} must contain a mapping of option names to values, such as "sync_interval: 15m"`,
      ]);
    });

    it('accepts an empty file', () => {
      const path = writeConfig('');

      expect(loadConfig({}, { configFile: path }).queuePrefix).toBe(
        'issue-sync',
      );
    });
  });

  describe('file permissions', () => {
    it('warns when group or others can read the file', () => {
      const path = writeConfig('sync_interval: 5m\n', 0o644);

      const { warnings } = loadConfigWithSources({}, { configFile: path });

      expect(warnings).toEqual([
        `configuration file ${path} is readable by group or others (mode 644) and may contain tokens: run chmod 600 ${path}`,
      ]);
    });

    it('warns when group or others can write the file', () => {
      const path = writeConfig('sync_interval: 5m\n', 0o660);

      const { warnings } = loadConfigWithSources({}, { configFile: path });

      expect(warnings).toEqual([
        `configuration file ${path} is readable or writable by group or others (mode 660) and may contain tokens: run chmod 600 ${path}`,
      ]);
    });

    it('gives no warning for mode 600', () => {
      const path = writeConfig('sync_interval: 5m\n', 0o600);

      const { warnings } = loadConfigWithSources({}, { configFile: path });

      expect(warnings).toEqual([]);
    });

    it('gives no warning without a file', () => {
      expect(loadConfigWithSources({}).warnings).toEqual([]);
    });
  });
});
