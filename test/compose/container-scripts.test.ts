import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './compose-model';

// The script is plain CommonJS, as the image runs it without a build step.
const healthcheck = require('../../docker/healthcheck.js') as {
  detectApp(args: string[]): string | undefined;
  resolveTarget(
    argument: string | undefined,
    env: Record<string, string>,
    commandLine: string[],
  ): { urls?: string[]; skip?: string; error?: string };
  checkUrls(
    urls: string[],
    timeoutMs?: number,
  ): Promise<{ ok: boolean; message: string }>;
};

const run = promisify(execFile);
const HEALTHCHECK = path.join(REPO_ROOT, 'docker/healthcheck.js');
const ENTRYPOINT = path.join(REPO_ROOT, 'docker/entrypoint.sh');
const TINI_ARGS = ['/usr/bin/tini', '--', '/app/docker/entrypoint.sh'];

interface TestServer {
  port: number;
  requests: string[];
  close(): Promise<void>;
}

/** Serves fixed statuses by path on 127.0.0.1; other paths return 404. */
async function startServer(
  statuses: Record<string, number>,
): Promise<TestServer> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? '');
    response.writeHead(statuses[request.url ?? ''] ?? 404);
    response.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function unusedPort(): Promise<number> {
  const server = await startServer({});
  await server.close();

  return server.port;
}

async function runHealthcheck(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('node', [HEALTHCHECK, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('docker/healthcheck.js', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startServer({ '/readyz': 200, '/_sim/stats': 200 });
  });

  afterEach(async () => {
    await server.close();
  });

  describe('detectApp', () => {
    it.each([
      ['worker', [...TINI_ARGS, 'node', 'apps/worker/dist/main.js']],
      ['scheduler', ['node', '/app/apps/scheduler/dist/main.js']],
      [
        'tracker-sim',
        ['node', 'apps/tracker-sim/dist/main.js', '--port', '4000'],
      ],
      ['cli', [...TINI_ARGS, 'node', 'apps/cli/dist/main.js', 'import', 'x']],
    ])('finds %s in its command line', (app, args) => {
      expect(healthcheck.detectApp(args)).toBe(app);
    });

    it('finds nothing in another command line', () => {
      expect(
        healthcheck.detectApp([...TINI_ARGS, 'sh', '-c', 'pnpm db:migrate']),
      ).toBeUndefined();
    });
  });

  describe('resolveTarget', () => {
    it('reads the worker port from WORKER_HEALTH_PORT', () => {
      expect(
        healthcheck.resolveTarget('worker', { WORKER_HEALTH_PORT: '4123' }, []),
      ).toEqual({ urls: ['http://127.0.0.1:4123/readyz'] });
    });

    it('falls back to the default ports', () => {
      expect(healthcheck.resolveTarget('worker', {}, [])).toEqual({
        urls: ['http://127.0.0.1:3001/readyz'],
      });
      expect(healthcheck.resolveTarget('scheduler', {}, [])).toEqual({
        urls: ['http://127.0.0.1:3002/readyz'],
      });
      expect(healthcheck.resolveTarget('dashboard', {}, [])).toEqual({
        urls: ['http://127.0.0.1:3000/readyz'],
      });
    });

    it('detects the app when no argument names it', () => {
      expect(
        healthcheck.resolveTarget(
          undefined,
          { SCHEDULER_HEALTH_PORT: '4200' },
          [...TINI_ARGS, 'node', 'apps/scheduler/dist/main.js'],
        ),
      ).toEqual({ urls: ['http://127.0.0.1:4200/readyz'] });
    });

    it('tries the dashboard base path after the root', () => {
      expect(
        healthcheck.resolveTarget(
          'dashboard',
          { DASHBOARD_BASE_PATH: '/issue-sync/', DASHBOARD_PORT: '8080' },
          [],
        ),
      ).toEqual({
        urls: [
          'http://127.0.0.1:8080/readyz',
          'http://127.0.0.1:8080/issue-sync/readyz',
        ],
      });
    });

    it('uses a specific DASHBOARD_HOST, in brackets for IPv6', () => {
      expect(
        healthcheck.resolveTarget('dashboard', { DASHBOARD_HOST: '::1' }, []),
      ).toEqual({ urls: ['http://[::1]:3000/readyz'] });
      expect(
        healthcheck.resolveTarget(
          'dashboard',
          { DASHBOARD_HOST: '0.0.0.0' },
          [],
        ),
      ).toEqual({ urls: ['http://127.0.0.1:3000/readyz'] });
    });

    it('reads the simulator port and host from its arguments', () => {
      expect(
        healthcheck.resolveTarget(undefined, {}, [
          'node',
          'apps/tracker-sim/dist/main.js',
          '--port',
          '4555',
          '--host',
          '0.0.0.0',
        ]),
      ).toEqual({ urls: ['http://127.0.0.1:4555/_sim/stats'] });
    });

    it('takes a URL as it is', () => {
      expect(healthcheck.resolveTarget('http://127.0.0.1:9/x', {}, [])).toEqual(
        { urls: ['http://127.0.0.1:9/x'] },
      );
    });

    it('skips an app whose health server is off', () => {
      expect(
        healthcheck.resolveTarget('worker', { WORKER_HEALTH_PORT: '0' }, []),
      ).toEqual({
        skip: 'WORKER_HEALTH_PORT is 0, so the health server is turned off',
      });
    });

    it('skips one-shot commands', () => {
      expect(healthcheck.resolveTarget('cli', {}, [])).toEqual({
        skip: 'cli is a one-shot command',
      });
      expect(healthcheck.resolveTarget(undefined, {}, ['sh'])).toEqual({
        skip: 'no long-running issue-sync app in this container',
      });
    });

    it('reports a port that is not a number', () => {
      expect(
        healthcheck.resolveTarget(
          'scheduler',
          { SCHEDULER_HEALTH_PORT: 'x' },
          [],
        ),
      ).toEqual({
        error: 'SCHEDULER_HEALTH_PORT=x is not a port number from 0 to 65535',
      });
    });
  });

  describe('checkUrls', () => {
    it('passes on 200', async () => {
      const url = `http://127.0.0.1:${server.port}/readyz`;

      expect(await healthcheck.checkUrls([url])).toEqual({
        ok: true,
        message: `GET ${url} returned 200`,
      });
    });

    it('fails on 503', async () => {
      await server.close();
      server = await startServer({ '/readyz': 503 });
      const url = `http://127.0.0.1:${server.port}/readyz`;

      expect(await healthcheck.checkUrls([url])).toEqual({
        ok: false,
        message: `GET ${url} returned 503`,
      });
    });

    it('tries the next URL only after a 404', async () => {
      const base = `http://127.0.0.1:${server.port}`;
      const result = await healthcheck.checkUrls([
        `${base}/missing`,
        `${base}/readyz`,
      ]);

      expect(result).toEqual({
        ok: true,
        message: `GET ${base}/readyz returned 200`,
      });
      expect(server.requests).toEqual(['/missing', '/readyz']);
    });

    it('fails on the last 404', async () => {
      const url = `http://127.0.0.1:${server.port}/missing`;

      expect(await healthcheck.checkUrls([url])).toEqual({
        ok: false,
        message: `GET ${url} returned 404`,
      });
    });

    it('fails when nothing listens', async () => {
      const url = `http://127.0.0.1:${await unusedPort()}/readyz`;

      expect(await healthcheck.checkUrls([url])).toEqual({
        ok: false,
        message: `GET ${url} failed: ECONNREFUSED`,
      });
    });

    it('fails when the response is late', async () => {
      const silent = http.createServer(() => {
        // Never responds, so the check times out.
      });
      await new Promise<void>((resolve) =>
        silent.listen(0, '127.0.0.1', resolve),
      );
      const port = (silent.address() as AddressInfo).port;
      const url = `http://127.0.0.1:${port}/readyz`;
      try {
        expect(await healthcheck.checkUrls([url], 200)).toEqual({
          ok: false,
          message: `GET ${url} failed: TimeoutError`,
        });
      } finally {
        silent.closeAllConnections();
        await new Promise((resolve) => silent.close(resolve));
      }
    });
  });

  describe('as a command', () => {
    it('exits 0 when the worker is ready', async () => {
      const result = await runHealthcheck(['worker'], {
        WORKER_HEALTH_PORT: String(server.port),
      });

      expect(result).toEqual({
        code: 0,
        output: `health check: GET http://127.0.0.1:${server.port}/readyz returned 200\n`,
      });
    });

    it('exits 1 when the worker is not ready', async () => {
      await server.close();
      server = await startServer({ '/readyz': 503 });
      const result = await runHealthcheck(['worker'], {
        WORKER_HEALTH_PORT: String(server.port),
      });

      expect(result).toEqual({
        code: 1,
        output: `health check: GET http://127.0.0.1:${server.port}/readyz returned 503\n`,
      });
    });

    it('exits 1 for an invalid port', async () => {
      const result = await runHealthcheck(['worker'], {
        WORKER_HEALTH_PORT: '70000',
      });

      expect(result).toEqual({
        code: 1,
        output:
          'health check: WORKER_HEALTH_PORT=70000 is not a port number from 0 to 65535\n',
      });
    });

    it('exits 0 for a one-shot command', async () => {
      const result = await runHealthcheck(['migrate'], {});

      expect(result).toEqual({
        code: 0,
        output: 'health check passed: migrate is a one-shot command\n',
      });
    });
  });
});

describe('docker/entrypoint.sh', () => {
  let directory: string;

  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'issue-sync-entry-'));
  });

  afterEach(() => {
    fs.rmSync(directory, { recursive: true, force: true });
  });

  async function runEntrypoint(env: Record<string, string>) {
    return run(
      ENTRYPOINT,
      ['node', '-e', 'console.log(JSON.stringify(process.env))'],
      { env: { PATH: process.env.PATH ?? '', ...env } },
    );
  }

  it('exports the settings file over the environment', async () => {
    const settings = path.join(directory, 'tracker.env');
    fs.writeFileSync(
      settings,
      '# comment\nGITHUB_API_URL=http://tracker-sim:4000/github\nTRACKER_ALLOW_HTTP=true\n',
    );
    const { stdout, stderr } = await runEntrypoint({
      ISSUE_SYNC_ENV_FILE: settings,
      GITHUB_API_URL: 'https://api.github.com',
      LOG_LEVEL: 'debug',
    });
    const env = JSON.parse(stdout);

    expect(env.GITHUB_API_URL).toBe('http://tracker-sim:4000/github');
    expect(env.TRACKER_ALLOW_HTTP).toBe('true');
    expect(env.LOG_LEVEL).toBe('debug');
    expect(stderr).toBe(`entrypoint: loading settings from ${settings}\n`);
  });

  it('runs the command unchanged when the file is missing', async () => {
    const { stdout, stderr } = await runEntrypoint({
      ISSUE_SYNC_ENV_FILE: path.join(directory, 'absent.env'),
      GITHUB_API_URL: 'https://api.github.com',
    });

    expect(JSON.parse(stdout).GITHUB_API_URL).toBe('https://api.github.com');
    expect(stderr).toBe('');
  });

  it('runs the command when ISSUE_SYNC_ENV_FILE is empty', async () => {
    const { stdout } = await runEntrypoint({ ISSUE_SYNC_ENV_FILE: '' });

    expect(JSON.parse(stdout).ISSUE_SYNC_ENV_FILE).toBe('');
  });

  it('replaces itself with the command', async () => {
    const child = run(ENTRYPOINT, ['sh', '-c', 'echo $$']);
    const { stdout } = await child;

    expect(Number(stdout.trim())).toBe(child.child.pid);
  });
});

describe('docker/collect-runtime.sh', () => {
  let workspace: string;
  let output: string;

  beforeEach(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'issue-sync-ws-'));
    output = path.join(workspace, 'out');
  });

  afterEach(() => {
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  function write(relative: string, content = '') {
    const target = path.join(workspace, relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }

  function listFiles(root: string): string[] {
    return fs
      .readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((entry) => !entry.isDirectory())
      .map((entry) =>
        path.relative(root, path.join(entry.parentPath, entry.name)),
      )
      .sort();
  }

  it('copies manifests, dist, node_modules and runtime data only', async () => {
    for (const file of [
      'package.json',
      'pnpm-workspace.yaml',
      'pnpm-lock.yaml',
      'node_modules/.pnpm/pkg@1.0.0/node_modules/pkg/index.js',
      'prisma/migrations/1_init/migration.sql',
      'docker/entrypoint.sh',
      'demo/issues.txt',
      'apps/worker/package.json',
      'apps/worker/dist/main.js',
      'apps/worker/src/main.ts',
      'apps/worker/jest.config.js',
      'packages/db/package.json',
      'packages/db/dist/index.js',
      'packages/db/src/index.ts',
      'tooling/jest/preset.js',
    ]) {
      write(file);
    }
    fs.mkdirSync(path.join(workspace, 'apps/worker/node_modules'));
    fs.symlinkSync(
      '../../../node_modules/.pnpm/pkg@1.0.0/node_modules/pkg',
      path.join(workspace, 'apps/worker/node_modules/pkg'),
    );

    await run(
      'sh',
      [path.join(REPO_ROOT, 'docker/collect-runtime.sh'), output],
      {
        cwd: workspace,
      },
    );

    expect(listFiles(output)).toEqual([
      'apps/worker/dist/main.js',
      'apps/worker/node_modules/pkg',
      'apps/worker/package.json',
      'demo/issues.txt',
      'docker/entrypoint.sh',
      'node_modules/.pnpm/pkg@1.0.0/node_modules/pkg/index.js',
      'package.json',
      'packages/db/dist/index.js',
      'packages/db/package.json',
      'pnpm-workspace.yaml',
      'prisma/migrations/1_init/migration.sql',
    ]);
    expect(
      fs.readlinkSync(path.join(output, 'apps/worker/node_modules/pkg')),
    ).toBe('../../../node_modules/.pnpm/pkg@1.0.0/node_modules/pkg');
  });

  it('works without a demo folder', async () => {
    write('package.json');
    write('pnpm-workspace.yaml');
    write('node_modules/.modules.yaml');
    write('prisma/schema.prisma');
    write('docker/entrypoint.sh');

    await run(
      'sh',
      [path.join(REPO_ROOT, 'docker/collect-runtime.sh'), output],
      {
        cwd: workspace,
      },
    );

    expect(listFiles(output)).toEqual([
      'docker/entrypoint.sh',
      'node_modules/.modules.yaml',
      'package.json',
      'pnpm-workspace.yaml',
      'prisma/schema.prisma',
    ]);
  });
});

describe('docker/demo-import.sh', () => {
  let workspace: string;

  beforeEach(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'issue-sync-demo-'));
    fs.mkdirSync(path.join(workspace, 'demo'));
    fs.mkdirSync(path.join(workspace, 'apps/cli/dist'), { recursive: true });
    fs.writeFileSync(
      path.join(workspace, 'demo/issues.txt'),
      '# sample\nhttps://github.com/o/r/issues/1\nJIRA_BASE_URL_PLACEHOLDER/browse/TO-101\n',
    );
    // Stands in for the built CLI: records each call and the imported list.
    fs.writeFileSync(
      path.join(workspace, 'apps/cli/dist/main.js'),
      [
        "const fs = require('node:fs');",
        'const args = process.argv.slice(2);',
        "const list = args[0] === 'import' ? fs.readFileSync(args[1], 'utf8') : null;",
        "fs.appendFileSync('calls.json', JSON.stringify({ args, list }) + '\\n');",
      ].join('\n'),
    );
  });

  afterEach(() => {
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  function calls(): Array<{ args: string[]; list: string | null }> {
    return fs
      .readFileSync(path.join(workspace, 'calls.json'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
  }

  it('imports the list with JIRA_BASE_URL filled in, then syncs all', async () => {
    await run('sh', [path.join(REPO_ROOT, 'docker/demo-import.sh')], {
      cwd: workspace,
      env: {
        PATH: process.env.PATH ?? '',
        JIRA_BASE_URL: 'http://tracker-sim:4000/jira',
      },
    });
    const [importCall, syncCall] = calls();

    expect(importCall?.args[0]).toBe('import');
    expect(importCall?.list).toBe(
      '# sample\nhttps://github.com/o/r/issues/1\nhttp://tracker-sim:4000/jira/browse/TO-101\n',
    );
    expect(syncCall).toEqual({ args: ['sync', '--all'], list: null });
  });

  it('stops when JIRA_BASE_URL is not set', async () => {
    await expect(
      run('sh', [path.join(REPO_ROOT, 'docker/demo-import.sh')], {
        cwd: workspace,
        env: { PATH: process.env.PATH ?? '' },
      }),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('JIRA_BASE_URL is not set'),
    });
    expect(fs.existsSync(path.join(workspace, 'calls.json'))).toBe(false);
  });
});
