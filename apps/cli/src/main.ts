import { Command, InvalidArgumentError, Option } from 'commander';
import { loadAppConfig, logFatalErrors } from '@issue-sync/runtime';
import { ISSUE_SOURCES } from '@issue-sync/tracker-core';
import { SYNC_STATUSES } from '@issue-sync/db';
import { CommandContext } from './context';
import { addCommand } from './commands/add';
import { configCommand } from './commands/config';
import { doctorCommand } from './commands/doctor';
import { importCommand } from './commands/import';
import { listCommand } from './commands/list';
import { statusCommand } from './commands/status';
import { syncCommand } from './commands/sync';
import { printError } from './output';

function positiveInteger(value: string): number {
  if (!/^[0-9]{1,9}$/.test(value) || Number(value) < 1) {
    throw new InvalidArgumentError(`"${value}" is not a positive whole number`);
  }
  return Number(value);
}

function duration(value: string): number {
  const match = /^([0-9]{1,7})(ms|s|m|h)?$/.exec(value);
  if (match === null) {
    throw new InvalidArgumentError(
      `"${value}" is not a duration: use a number with s, m or h, such as 10m`,
    );
  }
  const factor =
    { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[match[2] ?? 's'] ?? 1_000;
  return Number(match[1]) * factor;
}

/**
 * Runs one command with a context built from the configuration and closes
 * the connections afterwards, whatever the outcome.
 */
function run<A extends unknown[]>(
  action: (context: CommandContext, ...args: A) => Promise<number> | number,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const context = new CommandContext(loadAppConfig());
    logFatalErrors(context.logger);
    try {
      process.exitCode = await action(context, ...args);
    } catch (error) {
      printError(
        `error: ${error instanceof Error ? error.message : String(error)}`,
      );
      context.logger.debug('command failed', { err: error });
      process.exitCode = 1;
    } finally {
      await context.close();
    }
  };
}

const program = new Command('issue-sync')
  .description(
    'Register issues and follow their sync with GitHub, Jira and Launchpad.',
  )
  .option(
    '--config <file>',
    'YAML configuration file; environment variables override it',
  );

program
  .command('add')
  .description('register issues by URL')
  .argument('<url...>', 'issue URLs')
  .action(run((context, urls: string[]) => addCommand(context, urls)));

program
  .command('import')
  .description(
    'register every issue URL in FILE, one a line; # starts a comment',
  )
  .argument('<file>', 'text file of issue URLs')
  .action(run((context, file: string) => importCommand(context, file)));

program
  .command('list')
  .description('list registered issues')
  .addOption(
    new Option(
      '--sync-status <status>',
      'only issues with this sync status',
    ).choices(SYNC_STATUSES),
  )
  .addOption(
    new Option('--source <source>', 'only issues of this tracker').choices(
      ISSUE_SOURCES,
    ),
  )
  .option('--project <project>', 'only issues of this project')
  .option('--limit <n>', 'most issues shown', positiveInteger, 100)
  .option('--after-id <id>', 'start after this issue id', positiveInteger)
  .option('--json', 'print JSON')
  .action(
    run(
      (
        context,
        options: {
          syncStatus?: string;
          source?: string;
          project?: string;
          limit: number;
          afterId?: number;
          json?: boolean;
        },
      ) =>
        listCommand(context, {
          filter: {
            syncStatus: options.syncStatus as never,
            source: options.source as never,
            project: options.project,
          },
          limit: options.limit,
          afterId: options.afterId ?? 0,
          json: options.json === true,
        }),
    ),
  );

program
  .command('status')
  .description(
    'issue counts by tracker and sync status, queues and recent failures',
  )
  .option('--failures <n>', 'recent failures shown', positiveInteger, 10)
  .option('--json', 'print JSON')
  .action(
    run((context, options: { json?: boolean; failures: number }) =>
      statusCommand(context, {
        json: options.json === true,
        failures: options.failures,
      }),
    ),
  );

program
  .command('sync')
  .description('sync every issue (--all) or one issue (URL or id) now')
  .argument('[target]', 'issue URL or id')
  .option('--all', 'sweep every registered issue')
  .option(
    '--wait',
    'follow the sync until every job has finished; exit 1 if any failed',
  )
  .option(
    '--timeout <duration>',
    'with --wait, give up after this long (such as 10m)',
    duration,
    0,
  )
  .action(
    run(
      (
        context,
        target: string | undefined,
        options: { all?: boolean; wait?: boolean; timeout: number },
      ) =>
        syncCommand(context, target, {
          all: options.all === true,
          wait: options.wait === true,
          timeoutMs: options.timeout,
        }),
    ),
  );

program
  .command('doctor')
  .description("check Redis, PostgreSQL and each tracker's credentials")
  .action(run((context) => doctorCommand(context)));

program
  .command('config')
  .description(
    'print the effective configuration and where each value came from',
  )
  .argument('[name]', 'one option, such as jira_base_url')
  .option('--json', 'print JSON')
  .action(
    run((context, name: string | undefined, options: { json?: boolean }) =>
      configCommand(context, name, { json: options.json === true }),
    ),
  );

void program.parseAsync(process.argv);
