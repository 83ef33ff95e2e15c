import { listIssues, type IssueFilter } from '@issue-sync/db';
import { formatIssueUrl } from '@issue-sync/tracker-core';
import type { CommandContext } from '../context';
import { formatTable, print, printJson, truncate } from '../output';

export interface ListOptions {
  filter: IssueFilter;
  limit: number;
  afterId: number;
  json: boolean;
}

/** `issue-sync list`: issues matching the filters, in id order. */
export async function listCommand(
  context: CommandContext,
  options: ListOptions,
): Promise<number> {
  const issues = await listIssues(context.db, options.filter, {
    afterId: options.afterId,
    limit: options.limit,
  });
  const jiraBaseUrl = context.config.jira.baseUrl;
  if (options.json) {
    printJson(
      issues.map((issue) => ({
        id: issue.id,
        url: formatIssueUrl(issue, { jiraBaseUrl }),
        source: issue.source,
        project: issue.project,
        key: issue.key,
        title: issue.title,
        status: issue.status,
        trackerStatus: issue.trackerStatus,
        labels: issue.labels,
        syncStatus: issue.syncStatus,
        syncError: issue.syncError,
        lastSyncedAt: issue.lastSyncedAt?.toISOString() ?? null,
        lastAttemptedAt: issue.lastAttemptedAt?.toISOString() ?? null,
      })),
    );
    return 0;
  }
  const rows = issues.map((issue) => [
    String(issue.id),
    issue.syncStatus,
    issue.status,
    formatIssueUrl(issue, { jiraBaseUrl }),
    truncate(issue.syncError ?? issue.title, 60),
  ]);
  for (const line of formatTable(
    ['ID', 'SYNC', 'STATUS', 'URL', 'TITLE OR ERROR'],
    rows,
  )) {
    print(line);
  }
  if (issues.length === options.limit) {
    print(
      `(first ${options.limit} shown; continue with --after-id ${issues[issues.length - 1]!.id})`,
    );
  }

  return 0;
}
