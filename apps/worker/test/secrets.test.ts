import {
  startSimulator,
  type SimIssue,
  type SimSource,
  type Simulator,
} from '@issue-sync/tracker-sim';
import {
  AppProcess,
  REDIS_URL,
  REPOSITORY_ROOT,
  createTestDatabase,
  runCli,
  uniquePrefix,
  type CommandResult,
  type TestDatabase,
} from '@issue-sync/test-support';
import { Redis } from 'ioredis';
import fs from 'node:fs';
import path from 'node:path';
import { appEnvironment, JIRA_USERNAME } from './environment';
import {
  dumpDatabase,
  dumpRedisPrefix,
  fetchText,
  findFreePort,
  type Surface,
} from './secrets-surfaces';

const RUN = `${process.pid}${Math.floor(Math.random() * 1e6)}`;

/** Secret values no output may contain, unique to this run. */
const CANARIES = {
  GITHUB_TOKEN: `github-canary-token-${RUN}`,
  JIRA_TOKEN: `jira-canary-token-${RUN}`,
  DASHBOARD_PASSWORD: `dashboard-canary-password-${RUN}`,
  'DATABASE_URL password': `postgres-canary-password-${RUN}`,
  'REDIS_URL password': `redis-canary-password-${RUN}`,
};
const DASHBOARD_USERNAME = 'operator';
const DATABASE_ROLE = `issue_sync_canary_${RUN}`;
const REDIS_USER = `issue-sync-canary-${RUN}`;

/** The canaries plus the basic-auth headers made of them. */
const SECRET_FORMS: Array<[string, string]> = [
  ...Object.entries(CANARIES),
  [
    'Jira basic auth',
    Buffer.from(`${JIRA_USERNAME}:${CANARIES.JIRA_TOKEN}`).toString('base64'),
  ],
  [
    'dashboard basic auth',
    Buffer.from(
      `${DASHBOARD_USERNAME}:${CANARIES.DASHBOARD_PASSWORD}`,
    ).toString('base64'),
  ],
];

const TRACKERS: SimSource[] = ['github', 'jira', 'launchpad'];

const ISSUES: SimIssue[] = [1, 2].flatMap((n) => [
  {
    source: 'github' as const,
    project: 'canary-org/app',
    key: String(n),
    title: `GitHub secrets issue ${n}`,
    status: 'OPEN',
    labels: ['secrets'],
  },
  {
    source: 'jira' as const,
    project: 'SEC',
    key: String(n),
    title: `Jira secrets issue ${n}`,
    status: 'To Do',
    labels: ['secrets'],
  },
  {
    source: 'launchpad' as const,
    project: 'ubuntu',
    key: String(320_000 + n),
    title: `Launchpad secrets bug ${n}`,
    status: 'New',
    target: 'ubuntu',
    labels: ['secrets'],
  },
]);

function issueUrl(issue: SimIssue, jiraBaseUrl: string): string {
  if (issue.source === 'github') {
    return `https://github.com/${issue.project}/issues/${issue.key}`;
  }
  if (issue.source === 'jira') {
    return `${jiraBaseUrl}/browse/${issue.project}-${issue.key}`;
  }

  return `https://bugs.launchpad.net/${issue.project}/+bug/${issue.key}`;
}

const DASHBOARD_AUTH = {
  authorization: `Basic ${Buffer.from(`${DASHBOARD_USERNAME}:${CANARIES.DASHBOARD_PASSWORD}`).toString('base64')}`,
};

const QUEUES = ['sweep', ...TRACKERS.map((tracker) => `sync-${tracker}`)];

/** Pages read at each stage: [name, process, path]. */
const PAGES: Array<[string, 'worker' | 'scheduler' | 'dashboard', string]> = [
  ['worker /metrics', 'worker', '/metrics'],
  ['worker /readyz', 'worker', '/readyz'],
  ['scheduler /readyz', 'scheduler', '/readyz'],
  ...(
    [
      '/',
      '/api/issues',
      '/metrics',
      '/readyz',
      '/queues',
      '/queues/api/queues',
      ...QUEUES.map(
        (queue) =>
          `/queues/api/queues?activeQueue=${queue}&status=failed&jobsPerPage=100`,
      ),
    ] as const
  ).map(
    (page) =>
      [`dashboard ${page}`, 'dashboard', page] as [string, 'dashboard', string],
  ),
];

function pageUrls(
  workerPort: number,
  schedulerPort: number,
  dashboardUrl: string | undefined,
): Array<[string, string]> {
  const bases = {
    worker: `http://127.0.0.1:${workerPort}`,
    scheduler: `http://127.0.0.1:${schedulerPort}`,
    dashboard: dashboardUrl,
  };

  return PAGES.filter(([, app]) => bases[app] !== undefined).map(
    ([name, app, page]) => [name, `${bases[app]}${page}`],
  );
}

const DASHBOARD_MAIN = path.join(
  REPOSITORY_ROOT,
  'apps',
  'dashboard',
  'dist',
  'main.js',
);

describe('secrets', () => {
  let db: TestDatabase;
  let admin: Redis;
  let sim: Simulator;
  let prefix: string;
  const processes: Record<string, AppProcess> = {};
  const commands: Array<[string, CommandResult]> = [];
  const surfaces: Surface[] = [];
  let unauthenticated: Response | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('secrets');
    await db.query(
      `CREATE ROLE "${DATABASE_ROLE}" LOGIN PASSWORD '${CANARIES['DATABASE_URL password']}'`,
    );
    await db.query(`ALTER DATABASE "${db.name}" OWNER TO "${DATABASE_ROLE}"`);
    await db.query(
      `GRANT ALL ON ALL TABLES IN SCHEMA public TO "${DATABASE_ROLE}"`,
    );
    await db.query(
      `GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "${DATABASE_ROLE}"`,
    );
    // Redis here runs without a password, and AUTH with a password then
    // fails, so the password belongs to an ACL user made for this test.
    admin = new Redis(REDIS_URL);
    await admin.call(
      'ACL',
      'SETUSER',
      REDIS_USER,
      'on',
      `>${CANARIES['REDIS_URL password']}`,
      '~*',
      '&*',
      '+@all',
    );

    sim = await startSimulator({
      issues: ISSUES,
      githubToken: CANARIES.GITHUB_TOKEN,
      jiraUser: { username: JIRA_USERNAME, token: CANARIES.JIRA_TOKEN },
    });
    prefix = uniquePrefix('secrets');
    const workerPort = await findFreePort();
    const schedulerPort = await findFreePort();
    const env = appEnvironment(
      `postgresql://${DATABASE_ROLE}:${CANARIES['DATABASE_URL password']}@127.0.0.1:5432/${db.name}`,
      prefix,
      sim,
      {
        REDIS_URL: `redis://${REDIS_USER}:${CANARIES['REDIS_URL password']}@127.0.0.1:6379`,
        GITHUB_TOKEN: CANARIES.GITHUB_TOKEN,
        JIRA_TOKEN: CANARIES.JIRA_TOKEN,
        DASHBOARD_USERNAME,
        DASHBOARD_PASSWORD: CANARIES.DASHBOARD_PASSWORD,
        DASHBOARD_PORT: '0',
        WORKER_HEALTH_PORT: String(workerPort),
        SCHEDULER_HEALTH_PORT: String(schedulerPort),
        SYNC_RETRY_ATTEMPTS: '3',
        SYNC_RETRY_BACKOFF_MS: '100',
        LOG_LEVEL: 'debug',
      },
    );
    const run = async (label: string, args: string[]): Promise<void> => {
      commands.push([label, await runCli(env, args)]);
    };

    await run('add', [
      'add',
      ...ISSUES.map((i) => issueUrl(i, sim.jiraBaseUrl)),
    ]);
    // Every tracker rejects the credentials until the faults are cleared.
    for (const tracker of TRACKERS) {
      sim.setFaults({ tracker, fault: { status: 401, times: 10_000 } });
    }
    processes.worker = new AppProcess('worker', env);
    processes.scheduler = new AppProcess('scheduler', env);
    await processes.worker.waitForLog(
      (line) => line.message === 'worker started',
    );
    await processes.scheduler.waitForLog(
      (line) => line.message === 'sweep schedule registered',
    );
    let dashboardUrl: string | undefined;
    if (fs.existsSync(DASHBOARD_MAIN)) {
      processes.dashboard = new AppProcess('dashboard', env);
      const listening = await processes.dashboard.waitForLog(
        (line) => line.message === 'dashboard listening',
      );
      dashboardUrl = String(listening.url).replace(/\/$/, '');
    }

    const collectPages = async (stage: string): Promise<void> => {
      for (const [name, url] of pageUrls(
        workerPort,
        schedulerPort,
        dashboardUrl,
      )) {
        surfaces.push({
          name: `${name} ${stage}`,
          text: await fetchText(url, DASHBOARD_AUTH),
        });
      }
    };

    await run('sync while unauthorized', ['sync', '--all', '--wait']);
    surfaces.push({
      name: 'database rows while unauthorized',
      text: await dumpDatabase(db),
    });
    await collectPages('while unauthorized');
    await run('status --json', ['status', '--json']);
    await run('list --json', ['list', '--json']);
    await run('doctor while unauthorized', ['doctor']);
    await run('config --json', ['config', '--json']);

    for (const tracker of TRACKERS) {
      sim.setFaults({ tracker, fault: null });
    }
    await run('sync after recovery', ['sync', '--all', '--wait']);
    await run('doctor after recovery', ['doctor']);
    await collectPages('after recovery');
    if (dashboardUrl !== undefined) {
      unauthenticated = await fetch(`${dashboardUrl}/api/issues`);
    }

    const redis = await dumpRedisPrefix(admin, prefix);
    surfaces.push({ name: 'Redis keys and values', text: redis.text });
    surfaces.push({
      name: 'database rows at the end',
      text: await dumpDatabase(db),
    });

    for (const [name, child] of Object.entries(processes)) {
      await child.stop();
      surfaces.push({ name: `${name} output`, text: child.text.join('\n') });
    }
    for (const [label, result] of commands) {
      surfaces.push({
        name: `issue-sync ${label}`,
        text: `${result.stdout}\n${result.stderr}`,
      });
    }
  }, 180_000);

  afterAll(async () => {
    await Promise.all(Object.values(processes).map((child) => child.stop()));
    await sim?.close();
    await db?.drop();
    await db
      ?.query(`DROP ROLE IF EXISTS "${DATABASE_ROLE}"`)
      .catch(() => undefined);
    await admin?.call('ACL', 'DELUSER', REDIS_USER);
    admin?.disconnect();
  });

  const pageNames = PAGES.map(([name]) => name);
  const surfaceNames = [
    ...['while unauthorized', 'after recovery'].flatMap((stage) =>
      pageNames.map((name) => `${name} ${stage}`),
    ),
    'database rows while unauthorized',
    'Redis keys and values',
    'database rows at the end',
    'worker output',
    'scheduler output',
    'dashboard output',
    'issue-sync add',
    'issue-sync sync while unauthorized',
    'issue-sync status --json',
    'issue-sync list --json',
    'issue-sync doctor while unauthorized',
    'issue-sync config --json',
    'issue-sync sync after recovery',
    'issue-sync doctor after recovery',
  ];

  const textOf = (name: string): string => {
    const surface = surfaces.find((candidate) => candidate.name === name);
    if (surface === undefined) {
      throw new Error(`nothing was collected from ${name}`);
    }
    return surface.text;
  };

  it('requires the dashboard password', () => {
    expect(unauthenticated?.status).toBe(401);
  });

  it('collects every surface', () => {
    expect(surfaces.map((surface) => surface.name).sort()).toEqual(
      [...surfaceNames].sort(),
    );
  });

  it.each(surfaceNames)('keeps every secret out of %s', (name) => {
    const text = textOf(name);
    const leaked = SECRET_FORMS.filter(([, value]) => text.includes(value)).map(
      ([label]) => label,
    );

    expect(leaked).toEqual([]);
  });

  it.each([
    ['worker output', '401 Unauthorized from GitHub at'],
    ['worker output', '401 Unauthorized from Jira at'],
    ['worker output', '401 Unauthorized from Launchpad at'],
    ['worker output', '"level":"debug"'],
    ['scheduler output', 'sweep schedule registered'],
    ['dashboard output', 'dashboard listening'],
    ['Redis keys and values', '401 Unauthorized from Jira at'],
    ['database rows while unauthorized', '401 Unauthorized from GitHub at'],
    ['database rows at the end', 'Launchpad secrets bug 2'],
    ['worker /metrics after recovery', 'issue_sync_syncs_total'],
    ['worker /readyz after recovery', '200 '],
    ['scheduler /readyz after recovery', '200 '],
    ['dashboard / while unauthorized', 'SEC-2'],
    ['dashboard / while unauthorized', '401 Unauthorized from Jira at'],
    ['dashboard /api/issues after recovery', 'Jira secrets issue 1'],
    ['dashboard /metrics after recovery', 'issue_sync_issues'],
    ['dashboard /queues after recovery', '200 '],
    [
      'dashboard /queues/api/queues?activeQueue=sync-github&status=failed&jobsPerPage=100 while unauthorized',
      '401 Unauthorized from GitHub at',
    ],
    [
      'dashboard /queues/api/queues?activeQueue=sync-launchpad&status=failed&jobsPerPage=100 after recovery',
      '401 Unauthorized from Launchpad at',
    ],
    ['issue-sync add', 'registered 6 new'],
    ['issue-sync status --json', 'SYNC_FAILED'],
    ['issue-sync list --json', 'canary-org/app'],
    ['issue-sync doctor while unauthorized', '401'],
    ['issue-sync config --json', 'JIRA_TOKEN'],
    ['issue-sync sync while unauthorized', 'done: 0 synced, 6 failed'],
    ['issue-sync sync after recovery', 'done: 6 synced, 0 failed'],
  ])('finds real content in %s: %s', (name, expected) => {
    expect(textOf(name)).toContain(expected);
  });
});
