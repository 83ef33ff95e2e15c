import { createAdapters } from '@issue-sync/runtime';
import {
  ISSUE_SOURCES,
  isTrackerError,
  type IssueSource,
  type TrackerErrorKind,
} from '@issue-sync/tracker-core';
import type { CommandContext } from '../context';
import { print } from '../output';

const TRACKER_NAMES: Record<IssueSource, string> = {
  GITHUB: 'GitHub',
  JIRA: 'Jira',
  LAUNCHPAD: 'Launchpad',
};

/** What to check, by failure kind, in the order an operator would. */
const CHECKLISTS: Partial<Record<TrackerErrorKind, string[]>> = {
  network: [
    'the URL variable points at the right host (GITHUB_API_URL, JIRA_BASE_URL, LAUNCHPAD_API_URL)',
    'DNS resolves that host from this machine and no firewall or proxy blocks it',
    'TRACKER_TIMEOUT_MS is long enough for this network',
  ],
  unavailable: [
    'the tracker reports an outage on its status page; syncs retry on their own',
  ],
  unauthorized: [
    'the token is current: it may have expired or been revoked; create a new one',
    'for Jira, JIRA_USERNAME is the account e-mail and JIRA_TOKEN an API token (passwords are rejected)',
    'the variable holds the token itself, without quotes or a "Bearer" prefix',
  ],
  forbidden: [
    'the account can see the project: ask its admin for browse access',
    'for GitHub, an organisation may require SSO authorisation of the token',
  ],
  not_found: [
    'the base URL is the tracker site itself (for Jira, https://YOUR-SITE.atlassian.net without /rest)',
  ],
  not_configured: [
    'set the credential variables named above, in the environment, .env or the config file',
  ],
  rate_limited: [
    'the token is shared with other tools; wait for the limit to reset',
  ],
  invalid_response: [
    'the URL variable points at the tracker API and not at a login page or proxy',
  ],
};

/**
 * `issue-sync doctor`: checks Redis, PostgreSQL and each tracker's
 * credentials with one real request each, and explains any failure.
 * Returns 1 when any check failed.
 */
export async function doctorCommand(context: CommandContext): Promise<number> {
  let failed = 0;
  const report = (
    ok: boolean,
    name: string,
    detail: string,
    advice: string[] = [],
  ): void => {
    if (!ok) {
      failed += 1;
    }
    print(`${ok ? 'ok  ' : 'FAIL'}  ${name}: ${detail}`);
    for (const line of advice) {
      print(`        - ${line}`);
    }
  };

  try {
    const queues = await context.queues();
    const pong = await queues.connection.ping();
    const policy = await queues.connection
      .config('GET', 'maxmemory-policy')
      .catch(() => []);
    const evicts =
      Array.isArray(policy) &&
      policy[1] !== undefined &&
      policy[1] !== 'noeviction';
    report(
      pong === 'PONG',
      'Redis',
      evicts ? `answers, but maxmemory-policy is ${policy[1]}` : 'answers',
      evicts
        ? [
            'set maxmemory-policy noeviction: an evicting Redis silently drops jobs and the schedule',
          ]
        : [],
    );
  } catch (error) {
    report(false, 'Redis', describe(error), [
      'REDIS_URL points at a running Redis (redis://HOST:6379)',
      'the password in REDIS_URL is right, if Redis requires one',
    ]);
  }

  try {
    const rows = await context.db.$queryRaw<Array<{ count: bigint }>>`
      SELECT count(*) AS count FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`;
    report(
      true,
      'PostgreSQL',
      `answers, ${rows[0]?.count ?? 0} migrations applied`,
    );
  } catch (error) {
    report(false, 'PostgreSQL', describe(error), [
      'DATABASE_URL points at a running PostgreSQL (postgresql://USER:PASSWORD@HOST:5432/DB)',
      'the schema exists: run `pnpm db:migrate`',
    ]);
  }

  const adapters = createAdapters(context.config);
  for (const source of ISSUE_SOURCES) {
    const name = TRACKER_NAMES[source];
    try {
      const result = await adapters[source].checkCredentials();
      report(result.ok, name, result.summary, result.warnings);
    } catch (error) {
      if (isTrackerError(error)) {
        report(false, name, error.message, CHECKLISTS[error.kind] ?? []);
      } else {
        report(false, name, describe(error));
      }
    }
  }
  await Promise.all(Object.values(adapters).map((adapter) => adapter.close()));

  print(failed === 0 ? 'all checks passed' : `${failed} checks failed`);

  return failed === 0 ? 0 : 1;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
