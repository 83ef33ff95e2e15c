import type { AppConfig } from '@issue-sync/config';
import type {
  AdapterLogger,
  AdapterObserver,
  AdapterOptions,
  IssueSource,
  TrackerAdapter,
} from '@issue-sync/tracker-core';
import { createGithubAdapter } from '@issue-sync/tracker-github';
import { createJiraAdapter } from '@issue-sync/tracker-jira';
import { createLaunchpadAdapter } from '@issue-sync/tracker-launchpad';

export const USER_AGENT = 'issue-sync/0.1.0';

/** Creates one adapter per tracker from the configuration. */
export function createAdapters(
  config: AppConfig,
  observer?: AdapterObserver,
  logger?: AdapterLogger,
): Record<IssueSource, TrackerAdapter> {
  const common: AdapterOptions = {
    timeoutMs: config.tracker.timeoutMs,
    batchWindowMs: config.tracker.batchWindowMs,
    batchSize: config.tracker.batchSize,
    maxResponseBytes: config.tracker.maxResponseBytes,
    userAgent: USER_AGENT,
    observer,
    logger,
  };

  return {
    GITHUB: createGithubAdapter({
      ...common,
      token: config.github.token,
      apiUrl: config.github.apiUrl,
    }),
    JIRA: createJiraAdapter({
      ...common,
      baseUrl: config.jira.baseUrl,
      username: config.jira.username,
      token: config.jira.token,
    }),
    LAUNCHPAD: createLaunchpadAdapter({
      ...common,
      apiUrl: config.launchpad.apiUrl,
    }),
  };
}
