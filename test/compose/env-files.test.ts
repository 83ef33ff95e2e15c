import {
  OPTION_NAMES,
  loadConfig,
  loadConfigWithSources,
} from '@issue-sync/config';
import { readComposeFile, readEnvLines, readRepoFile } from './compose-model';

const COMPOSE_VARIABLES = [
  'POSTGRES_PASSWORD',
  'POSTGRES_DB',
  'WORKER_REPLICAS',
  'WORKER_STOP_GRACE_PERIOD',
  'ISSUE_SYNC_IMAGE',
  'COMPOSE_PROFILES',
];

function toEnv(lines: ReturnType<typeof readEnvLines>) {
  return Object.fromEntries(lines.map((line) => [line.name, line.value]));
}

describe('.env.example', () => {
  const text = readRepoFile('.env.example');
  const lines = readEnvLines(text);
  const textLines = text.split('\n');

  it('lists every configuration and compose variable once', () => {
    const expected = [
      ...OPTION_NAMES,
      'ISSUE_SYNC_CONFIG',
      ...COMPOSE_VARIABLES,
    ];

    expect(lines.map((line) => line.name).sort()).toEqual(expected.sort());
  });

  it('explains each variable in the comment line above it', () => {
    for (const line of lines) {
      const above = textLines[line.line - 2] ?? '';

      expect({ name: line.name, comment: above.startsWith('# ') }).toEqual({
        name: line.name,
        comment: true,
      });
      expect(readEnvLines(above)).toEqual([]);
    }
  });

  it('sets only POSTGRES_PASSWORD, and leaves it empty', () => {
    const set = lines.filter((line) => !line.commented);

    expect(set.map((line) => [line.name, line.value])).toEqual([
      ['POSTGRES_PASSWORD', ''],
    ]);
  });

  it.each([
    'GITHUB_TOKEN',
    'JIRA_TOKEN',
    'JIRA_USERNAME',
    'DASHBOARD_PASSWORD',
  ])('holds no value for %s', (name) => {
    expect(lines.find((line) => line.name === name)?.value).toBe('');
  });

  it('shows the defaults the configuration package applies', () => {
    const documented = toEnv(
      lines.filter(
        (line) => OPTION_NAMES.includes(line.name) && line.value !== '',
      ),
    );
    const loaded = loadConfigWithSources(documented);

    expect(loaded.config).toEqual(loadConfig({}));
    for (const name of Object.keys(documented)) {
      expect({ name, source: loaded.sources[name] }).toEqual({
        name,
        source: 'environment',
      });
    }
  });

  it('shows the defaults docker-compose.yml applies', () => {
    const compose = readRepoFile('docker-compose.yml');
    const defaults = Object.fromEntries(
      [...compose.matchAll(/\$\{([A-Z_]+):-([^}]*)\}/g)].map((match) => [
        match[1],
        match[2],
      ]),
    );

    expect(defaults).toEqual({
      ISSUE_SYNC_IMAGE: 'issue-sync:local',
      POSTGRES_DB: 'issue_sync',
      WORKER_REPLICAS: '2',
      WORKER_STOP_GRACE_PERIOD: '35s',
    });
    for (const [name, value] of Object.entries(defaults)) {
      expect(lines.find((line) => line.name === name)?.value).toBe(value);
    }
  });

  it('documents every variable docker-compose.yml substitutes', () => {
    const compose = readRepoFile('docker-compose.yml');
    const used = new Set(
      [...compose.matchAll(/\$\{([A-Z_]+)/g)].map((match) => match[1]),
    );

    expect([...used].sort()).toEqual([
      'ISSUE_SYNC_IMAGE',
      'POSTGRES_DB',
      'POSTGRES_PASSWORD',
      'WORKER_REPLICAS',
      'WORKER_STOP_GRACE_PERIOD',
    ]);
    for (const name of used) {
      expect(lines.map((line) => line.name)).toContain(name);
    }
  });
});

describe('docker/demo.env', () => {
  const lines = readEnvLines(readRepoFile('docker/demo.env'));
  const demoEnv = toEnv(lines);

  it('sets only configuration variables', () => {
    for (const line of lines) {
      expect(OPTION_NAMES).toContain(line.name);
      expect(line.commented).toBe(false);
    }
  });

  it('points every tracker at the simulator and loads', () => {
    const config = loadConfig(demoEnv);

    expect(config.github.apiUrl).toBe('http://tracker-sim:4000/github');
    expect(config.jira.baseUrl).toBe('http://tracker-sim:4000/jira');
    expect(config.launchpad.apiUrl).toBe(
      'http://tracker-sim:4000/launchpad/devel',
    );
    expect(config.github.token).toBe('demo-github-token');
    expect(config.jira.username).toBe('demo@example.com');
    expect(config.jira.token).toBe('demo-jira-token');
    expect(config.sync.intervalMs).toBe(60_000);
  });

  it('needs TRACKER_ALLOW_HTTP for the plain http simulator', () => {
    expect(demoEnv.TRACKER_ALLOW_HTTP).toBe('true');
    expect(() =>
      loadConfig({ ...demoEnv, TRACKER_ALLOW_HTTP: 'false' }),
    ).toThrow(/GITHUB_API_URL/);
  });
});

describe('compose environment of the apps', () => {
  const file = readComposeFile({ POSTGRES_PASSWORD: 'compose-test-password' });

  it.each(['scheduler', 'worker', 'dashboard', 'demo-import'])(
    'is a valid configuration for %s',
    (name) => {
      const environment = { ...file.services[name]?.environment };
      delete environment.ISSUE_SYNC_ENV_FILE;
      const config = loadConfig(environment);

      expect(config.databaseUrl).toBe(
        'postgresql://postgres:compose-test-password@postgres:5432/issue_sync',
      );
      expect(config.redisUrl).toBe('redis://redis:6379');
    },
  );

  it('makes the dashboard listen on 0.0.0.0:3000', () => {
    const config = loadConfig(file.services.dashboard?.environment ?? {});

    expect(config.dashboard.host).toBe('0.0.0.0');
    expect(config.dashboard.port).toBe(3000);
  });
});
