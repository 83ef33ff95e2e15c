import type { IssueRef } from './issue-ref';

/** Open/closed state as stored in the `issuestatus` database enum. */
export type IssueStatus = 'UNKNOWN' | 'OPEN' | 'CLOSED';

/** What an adapter read about one issue. */
export interface IssueSnapshot {
  title: string;
  status: IssueStatus;
  /** The tracker's own status name, such as "In Progress" or "Fix Released". */
  trackerStatus: string | null;
  labels: string[];
  /**
   * The issue's current reference, set only when the tracker reports it
   * under another one (a transferred GitHub issue, a moved Jira issue).
   */
  movedTo?: IssueRef;
}
