import type { Issue } from '@issue-sync/db';
import { formatIssueUrl } from '@issue-sync/tracker-core';

/** An issue row as the issues API sends it, with snake_case fields. */
export interface IssueJson {
  id: number;
  source: Issue['source'];
  project: string;
  key: string;
  /** The issue's page in its tracker. */
  url: string;
  title: string;
  status: Issue['status'];
  labels: string[];
  tracker_status: string | null;
  sync_status: Issue['syncStatus'];
  sync_error: string | null;
  last_synced_at: string | null;
  last_attempted_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Builds the URL of an issue's page, with Jira issues on JIRA_BASE_URL. */
export function issueUrl(
  issue: Pick<Issue, 'source' | 'project' | 'key'>,
  jiraBaseUrl: string,
): string {
  return formatIssueUrl(
    { source: issue.source, project: issue.project, key: issue.key },
    { jiraBaseUrl },
  );
}

/** Converts an issue row to its JSON form. */
export function toIssueJson(issue: Issue, jiraBaseUrl: string): IssueJson {
  return {
    id: issue.id,
    source: issue.source,
    project: issue.project,
    key: issue.key,
    url: issueUrl(issue, jiraBaseUrl),
    title: issue.title,
    status: issue.status,
    labels: issue.labels,
    tracker_status: issue.trackerStatus,
    sync_status: issue.syncStatus,
    sync_error: issue.syncError,
    last_synced_at: issue.lastSyncedAt?.toISOString() ?? null,
    last_attempted_at: issue.lastAttemptedAt?.toISOString() ?? null,
    created_at: issue.createdAt.toISOString(),
    updated_at: issue.updatedAt.toISOString(),
  };
}
