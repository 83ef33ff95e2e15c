import { REDIS_URL } from '@issue-sync/test-support';

export const GITHUB_TOKEN = 'ghp_cliHostileCanary0001';
export const JIRA_USERNAME = 'hostile@example.com';
export const JIRA_TOKEN = 'jira-hostile-canary-0002';

/** Where the apps under test find their trackers. */
export interface TrackerUrls {
  githubApiUrl: string;
  jiraBaseUrl: string;
  launchpadApiUrl: string;
}

/**
 * Environment of the CLI, worker and dashboard processes of one test: its
 * database, its queue prefix and its trackers, with short retries.
 */
export function appEnvironment(
  databaseUrl: string,
  prefix: string,
  trackers: TrackerUrls,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    GITHUB_API_URL: trackers.githubApiUrl,
    JIRA_BASE_URL: trackers.jiraBaseUrl,
    LAUNCHPAD_API_URL: trackers.launchpadApiUrl,
    GITHUB_TOKEN,
    JIRA_USERNAME,
    JIRA_TOKEN,
    SYNC_INTERVAL: '1h',
    SYNC_RETRY_ATTEMPTS: '2',
    SYNC_RETRY_BACKOFF_MS: '100',
    WORKER_HEALTH_PORT: '0',
    SCHEDULER_HEALTH_PORT: '0',
    WORKER_CONCURRENCY: '10',
    LOG_LEVEL: 'info',
    ...overrides,
  };
}
