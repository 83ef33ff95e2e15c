import { Command, InvalidArgumentError, Option } from 'commander';

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];
import type { SimulatorOptions } from './simulator';

function integerAtLeast(min: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^-?[0-9]+$/.test(value.trim()) || parsed < min) {
      throw new InvalidArgumentError(
        `expected an integer of at least ${min}, got "${value}"`,
      );
    }

    return parsed;
  };
}

/** The CLI's options, ready for startSimulator, plus the log level. */
export interface CliSettings {
  simulator: SimulatorOptions;
  logLevel: LogLevel;
}

/**
 * Parses the `tracker-sim` command line. Throws commander's errors for bad
 * values; `exitOverride` lets tests see them.
 */
export function parseCliArguments(
  argv: readonly string[],
  program = new Command(),
): CliSettings {
  program
    .name('tracker-sim')
    .description(
      'Fake GitHub GraphQL, Jira Cloud and Launchpad server for tests, demos and benchmarks.',
    )
    .option(
      '--port <n>',
      'TCP port to listen on; 0 picks a free one',
      integerAtLeast(0),
      0,
    )
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--data <file>', 'JSON data file {"issues": [...]}')
    .option(
      '--latency-ms <n>',
      'delay added to every tracker response, in milliseconds',
      integerAtLeast(0),
      0,
    )
    .option(
      '--jitter-ms <n>',
      'random extra delay from 0 to n milliseconds',
      integerAtLeast(0),
      0,
    )
    .option(
      '--github-token <token>',
      'token GitHub requests must carry; unset accepts any',
    )
    .option(
      '--github-scopes <scopes>',
      'x-oauth-scopes sent on GitHub responses',
      'repo',
    )
    .option(
      '--jira-username <email>',
      'Jira account e-mail requests must carry (with --jira-token)',
    )
    .option(
      '--jira-token <token>',
      'Jira API token requests must carry (with --jira-username)',
    )
    .option(
      '--github-points-per-hour <n>',
      'GitHub GraphQL points per hour',
      integerAtLeast(1),
      5000,
    )
    .option(
      '--jira-rps <n>',
      'Jira requests per second before 429; unset for no limit',
      integerAtLeast(1),
    )
    .option(
      '--generate <n>',
      'number of deterministic issues to generate',
      integerAtLeast(0),
      0,
    )
    .option('--seed <n>', 'seed of --generate', integerAtLeast(0), 1)
    .addOption(
      new Option(
        '--log-level <level>',
        'log level; debug logs one line per request',
      )
        .choices(LOG_LEVELS)
        .default('info'),
    )
    .allowExcessArguments(false);
  program.parse(argv, { from: 'user' });
  const options = program.opts<{
    port: number;
    host: string;
    data?: string;
    latencyMs: number;
    jitterMs: number;
    githubToken?: string;
    githubScopes: string;
    jiraUsername?: string;
    jiraToken?: string;
    githubPointsPerHour: number;
    jiraRps?: number;
    generate: number;
    seed: number;
    logLevel: LogLevel;
  }>();

  if (
    (options.jiraUsername === undefined) !==
    (options.jiraToken === undefined)
  ) {
    program.error(
      'error: --jira-username and --jira-token go together; give both or neither',
    );
  }

  return {
    logLevel: options.logLevel,
    simulator: {
      port: options.port,
      host: options.host,
      latencyMs: options.latencyMs,
      jitterMs: options.jitterMs,
      githubScopes: options.githubScopes,
      githubPointsPerHour: options.githubPointsPerHour,
      ...(options.data === undefined ? {} : { dataFile: options.data }),
      ...(options.githubToken === undefined
        ? {}
        : { githubToken: options.githubToken }),
      ...(options.jiraUsername === undefined || options.jiraToken === undefined
        ? {}
        : {
            jiraUser: {
              username: options.jiraUsername,
              token: options.jiraToken,
            },
          }),
      ...(options.jiraRps === undefined
        ? {}
        : { jiraRequestsPerSecond: options.jiraRps }),
      ...(options.generate > 0
        ? { generate: { count: options.generate, seed: options.seed } }
        : {}),
    },
  };
}
