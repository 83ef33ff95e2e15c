/** The trackers issue-sync reads, spelled as the `issuesource` database enum. */
export const ISSUE_SOURCES = ['GITHUB', 'JIRA', 'LAUNCHPAD'] as const;

export type IssueSource = (typeof ISSUE_SOURCES)[number];

/**
 * One issue in one tracker. `project` is a GitHub `owner/repo` (lower case),
 * a Jira project key (upper case) or a Launchpad project (lower case); `key`
 * is the issue or bug number as decimal digits without leading zeros.
 */
export interface IssueRef {
  source: IssueSource;
  project: string;
  key: string;
}
