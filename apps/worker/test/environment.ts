import type { Simulator } from '@issue-sync/tracker-sim';
import { REDIS_URL } from '@issue-sync/test-support';

export const GITHUB_TOKEN = 'ghp_e2eCanaryToken0001';
export const JIRA_USERNAME = 'e2e@example.com';
export const JIRA_TOKEN = 'jira-e2e-canary-token-0002';

/** Environment of app processes pointed at one database, prefix and simulator. */
export function appEnvironment(
  databaseUrl: string,
  prefix: string,
  sim: Simulator,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    GITHUB_API_URL: sim.githubApiUrl,
    JIRA_BASE_URL: sim.jiraBaseUrl,
    LAUNCHPAD_API_URL: sim.launchpadApiUrl,
    GITHUB_TOKEN,
    JIRA_USERNAME,
    JIRA_TOKEN,
    SYNC_INTERVAL: '1h',
    SYNC_RETRY_ATTEMPTS: '3',
    SYNC_RETRY_BACKOFF_MS: '200',
    WORKER_HEALTH_PORT: '0',
    SCHEDULER_HEALTH_PORT: '0',
    WORKER_CONCURRENCY: '20',
    LOG_LEVEL: 'info',
    ...overrides,
  };
}
