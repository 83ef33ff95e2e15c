import { TrackerError } from '@issue-sync/tracker-core';
import type { IssueRef } from '@issue-sync/tracker-core';

// Jira project keys start with an upper-case letter, followed by upper-case
// letters, digits or underscores; Jira's default rule allows 2 to 10
// characters, and sites may relax the length.
const PROJECT_PATTERN = /^[A-Z][A-Z0-9_]{1,99}$/;
const NUMBER_PATTERN = /^[1-9][0-9]{0,17}$/;
const ISSUE_KEY_PATTERN = /^([A-Z][A-Z0-9_]{1,99})-([1-9][0-9]{0,17})$/;

/**
 * Returns the Jira issue key ("ABC-12") of a reference, after checking that
 * it can name a Jira issue at all.
 */
export function toIssueKey(ref: IssueRef): string {
  if (ref.source !== 'JIRA') {
    throw new TrackerError(
      'invalid_reference',
      'JIRA',
      `Issue source ${ref.source} cannot be read by the Jira adapter: ` +
        `route it to the ${ref.source} adapter`,
    );
  }

  if (!PROJECT_PATTERN.test(ref.project)) {
    throw new TrackerError(
      'invalid_reference',
      'JIRA',
      `Invalid Jira project key ${JSON.stringify(ref.project.slice(0, 100))}: ` +
        `expected an upper-case letter followed by upper-case letters, digits ` +
        `or underscores, such as ABC`,
    );
  }

  if (!NUMBER_PATTERN.test(ref.key)) {
    throw new TrackerError(
      'invalid_reference',
      'JIRA',
      `Invalid Jira issue number ${JSON.stringify(ref.key.slice(0, 100))} ` +
        `in project ${ref.project}: expected decimal digits without leading ` +
        `zeros, such as 12`,
    );
  }

  return `${ref.project}-${ref.key}`;
}

/** Splits an issue key such as "ABC-12" into a reference, or returns undefined. */
export function parseIssueKey(issueKey: string): IssueRef | undefined {
  const match = ISSUE_KEY_PATTERN.exec(issueKey);
  if (match === null) {
    return undefined;
  }

  return { source: 'JIRA', project: match[1] ?? '', key: match[2] ?? '' };
}
