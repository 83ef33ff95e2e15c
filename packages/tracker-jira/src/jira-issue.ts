import { TrackerError, describeTracker } from '@issue-sync/tracker-core';
import type {
  HttpErrorContext,
  IssueSnapshot,
  IssueStatus,
} from '@issue-sync/tracker-core';

import { parseIssueKey } from './jira-key';

/** Issue fields requested by every read. */
export const ISSUE_FIELDS = ['summary', 'status', 'labels', 'resolution'];

/** One issue of a Jira response: its key and its snapshot. */
export interface JiraIssueResult {
  /** The key Jira returned, upper case; differs from the request for a moved issue. */
  issueKey: string;
  /** The snapshot, or why this one issue could not be read. */
  snapshot: IssueSnapshot | TrackerError;
}

/**
 * Reads one issue object of a search result or single read. A missing or
 * malformed key fails the whole response, because the issue cannot be matched
 * to a request; wrong fields fail only that issue.
 */
export function toIssueResult(
  value: unknown,
  context: HttpErrorContext,
): JiraIssueResult {
  if (!isRecord(value) || typeof value.key !== 'string') {
    throw invalidShape(context, 'an issue without a key');
  }

  const issueKey = value.key.toUpperCase();
  if (parseIssueKey(issueKey) === undefined) {
    throw invalidShape(
      context,
      `an issue key that is not PROJECT-NUMBER (${JSON.stringify(issueKey.slice(0, 50))})`,
    );
  }

  return { issueKey, snapshot: toSnapshot(issueKey, value.fields, context) };
}

function toSnapshot(
  issueKey: string,
  fields: unknown,
  context: HttpErrorContext,
): IssueSnapshot | TrackerError {
  if (!isRecord(fields)) {
    return invalidShape(context, `issue ${issueKey} without fields`);
  }

  if (typeof fields.summary !== 'string') {
    return invalidShape(context, `issue ${issueKey} without a summary string`);
  }

  const labels = fields.labels ?? [];
  if (
    !Array.isArray(labels) ||
    !labels.every((label) => typeof label === 'string')
  ) {
    return invalidShape(
      context,
      `issue ${issueKey} with labels that are not strings`,
    );
  }

  const status = fields.status ?? null;
  if (status !== null && !isRecord(status)) {
    return invalidShape(
      context,
      `issue ${issueKey} with a status that is not an object`,
    );
  }

  const trackerStatus =
    status !== null && typeof status.name === 'string' ? status.name : null;

  return {
    title: fields.summary,
    status: toIssueStatus(status),
    trackerStatus,
    labels: labels as string[],
  };
}

// Status names are set per workflow and translated, so the mapping reads the
// status category, whose keys are fixed: new, indeterminate and done.
function toIssueStatus(status: Record<string, unknown> | null): IssueStatus {
  const category = status?.statusCategory;
  const key = isRecord(category) ? category.key : undefined;

  switch (key) {
    case 'done':
      return 'CLOSED';
    case 'new':
    case 'indeterminate':
      return 'OPEN';
    default:
      return 'UNKNOWN';
  }
}

/** Builds the invalid_response error for a response of the wrong shape. */
export function invalidShape(
  context: HttpErrorContext,
  what: string,
): TrackerError {
  return new TrackerError(
    'invalid_response',
    context.tracker,
    `${describeTracker(context)} sent ${what}: the answer does not have ` +
      `the shape of Jira REST API v3`,
  );
}

/** Tells whether a value is a non-null, non-array object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
