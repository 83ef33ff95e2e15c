import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

import { Command } from 'commander';

import { parseCliArguments } from './cli-options';
import { send } from './testing/http-client';

const PACKAGE_DIR = resolve(__dirname, '..');
// Inside the package, so the compiled CLI resolves graphql and commander.
const BUILD_DIR = join(PACKAGE_DIR, 'test-output', 'cli-build');
const LOGGER_DIR = resolve(PACKAGE_DIR, '..', '..', 'packages', 'logger');

function parse(args: string[]) {
  const program = new Command()
    .exitOverride()
    .configureOutput({ writeErr: () => {} });

  return parseCliArguments(args, program);
}

describe('parseCliArguments', () => {
  it('applies the defaults', () => {
    expect(parse([])).toEqual({
      logLevel: 'info',
      simulator: {
        port: 0,
        host: '127.0.0.1',
        latencyMs: 0,
        jitterMs: 0,
        githubScopes: 'repo',
        githubPointsPerHour: 5000,
      },
    });
  });

  it('reads every option', () => {
    expect(
      parse([
        '--port',
        '4000',
        '--host',
        '0.0.0.0',
        '--data',
        'issues.json',
        '--latency-ms',
        '20',
        '--jitter-ms',
        '5',
        '--github-token',
        'ghp_x',
        '--github-scopes',
        'repo, read:org',
        '--jira-username',
        'a@example.com',
        '--jira-token',
        'jt',
        '--github-points-per-hour',
        '100',
        '--jira-rps',
        '10',
        '--generate',
        '1000',
        '--seed',
        '9',
        '--log-level',
        'debug',
      ]),
    ).toEqual({
      logLevel: 'debug',
      simulator: {
        port: 4000,
        host: '0.0.0.0',
        dataFile: 'issues.json',
        latencyMs: 20,
        jitterMs: 5,
        githubToken: 'ghp_x',
        githubScopes: 'repo, read:org',
        jiraUser: { username: 'a@example.com', token: 'jt' },
        githubPointsPerHour: 100,
        jiraRequestsPerSecond: 10,
        generate: { count: 1000, seed: 9 },
      },
    });
  });

  it.each([
    [['--port', 'x'], 'expected an integer of at least 0, got "x"'],
    [['--jira-rps', '0'], 'expected an integer of at least 1, got "0"'],
    [['--log-level', 'trace'], 'Allowed choices are error, warn, info, debug.'],
    [
      ['--jira-username', 'a@example.com'],
      '--jira-username and --jira-token go together',
    ],
  ])('rejects %j', (args, message) => {
    expect(() => parse(args)).toThrow(message);
  });
});

describe('tracker-sim command', () => {
  let dataDir: string;
  let child: ChildProcess | undefined;

  beforeAll(() => {
    const tsc = require.resolve('typescript/bin/tsc');
    // The compiled CLI loads the logger from its dist, which only exists
    // once the logger package has been built.
    if (!existsSync(join(LOGGER_DIR, 'dist', 'index.js'))) {
      execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
        cwd: LOGGER_DIR,
        stdio: 'pipe',
      });
    }
    execFileSync(
      process.execPath,
      [tsc, '-p', 'tsconfig.build.json', '--outDir', BUILD_DIR],
      { cwd: PACKAGE_DIR, stdio: 'pipe' },
    );
    dataDir = mkdtempSync(join(tmpdir(), 'tracker-sim-cli-'));
  }, 120_000);

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(() => {
    if (child?.exitCode === null) {
      child.kill('SIGKILL');
    }
  });

  function start(args: string[]): {
    child: ChildProcess;
    lines: AsyncIterator<string>;
  } {
    child = spawn(process.execPath, [join(BUILD_DIR, 'main.js'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = createInterface({ input: child.stdout! })[
      Symbol.asyncIterator
    ]();

    return { child, lines };
  }

  async function nextEntry(
    lines: AsyncIterator<string>,
  ): Promise<Record<string, unknown>> {
    const { value } = await lines.next();

    return JSON.parse(String(value)) as Record<string, unknown>;
  }

  it('prints the listening line, logs requests and stops on SIGTERM', async () => {
    const dataFile = join(dataDir, 'data.json');
    writeFileSync(
      dataFile,
      JSON.stringify({
        issues: [
          {
            source: 'jira',
            project: 'DEMO',
            key: '12',
            title: 'Add export',
            status: 'In Review',
            statusCategory: 'indeterminate',
            labels: [],
          },
        ],
      }),
    );
    const { child: process_, lines } = start([
      '--data',
      dataFile,
      '--log-level',
      'debug',
    ]);

    const listening = await nextEntry(lines);
    expect(listening.message).toBe('tracker-sim listening');
    expect(listening.level).toBe('info');
    expect(listening.issues).toBe(1);
    expect(String(listening.url)).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+$/);
    expect(listening.jiraBaseUrl).toBe(`${String(listening.url)}/jira`);
    process.stdout.write(
      `tracker-sim start-up inside the CLI: ${String(listening.startupMs)} ms\n`,
    );

    const response = await send(
      `${String(listening.jiraBaseUrl)}/rest/api/3/issue/DEMO-12?fields=summary`,
    );
    expect((response.json as { fields: unknown }).fields).toEqual({
      summary: 'Add export',
    });
    const requestLine = await nextEntry(lines);
    expect(requestLine).toMatchObject({
      level: 'debug',
      message: 'tracker request served',
      tracker: 'jira',
      endpoint: 'GET /rest/api/3/issue/{key}',
      status: 200,
      issues: 1,
    });

    const exited = new Promise<number | null>((resolveExit) =>
      process_.once('exit', resolveExit),
    );
    process_.kill('SIGTERM');
    const stopped = await nextEntry(lines);
    expect(stopped).toMatchObject({
      level: 'info',
      message: 'tracker-sim stopped',
      signal: 'SIGTERM',
    });
    expect(await exited).toBe(0);
  }, 30_000);

  it('exits 1 naming a bad data file', async () => {
    const dataFile = join(dataDir, 'missing.json');
    const { child: process_, lines } = start(['--data', dataFile]);
    const exited = new Promise<number | null>((resolveExit) =>
      process_.once('exit', resolveExit),
    );

    const failure = await nextEntry(lines);
    expect(failure).toMatchObject({
      level: 'error',
      message: 'tracker-sim failed to start',
      err: {
        message: `cannot read data file ${dataFile} (ENOENT); check the --data path`,
      },
    });
    expect(await exited).toBe(1);
  }, 30_000);
});
