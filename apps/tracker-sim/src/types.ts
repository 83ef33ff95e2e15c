/** The trackers the simulator serves, spelled as in its data file. */
export const SIM_SOURCES = ['github', 'jira', 'launchpad'] as const;

export type SimSource = (typeof SIM_SOURCES)[number];

export const GITHUB_STATE_REASONS = [
  'COMPLETED',
  'NOT_PLANNED',
  'DUPLICATE',
  'REOPENED',
] as const;

export type GitHubStateReason = (typeof GITHUB_STATE_REASONS)[number];

export const JIRA_STATUS_CATEGORIES = ['new', 'indeterminate', 'done'] as const;

export type JiraStatusCategory = (typeof JIRA_STATUS_CATEGORIES)[number];

export const FAULT_BODIES = [
  'malformed',
  'truncated',
  'html',
  'wrong-shape',
  'huge',
] as const;

export type FaultBody = (typeof FAULT_BODIES)[number];

/**
 * A misbehaviour applied to every request that touches an issue, or to every
 * request of a tracker. Parts combine: the delay comes first, then a reset,
 * else the status and the body.
 */
export interface SimFault {
  /** HTTP status of the response, which carries the tracker's own error body. */
  status?: number;
  /** Retry-After in seconds on 429 and GitHub 403 responses; default 60. */
  retryAfterSec?: number;
  /** Extra time before the response, in milliseconds. */
  delayMs?: number;
  /** Destroys the socket instead of responding. */
  reset?: boolean;
  /**
   * Replaces the body. `malformed` is invalid JSON. `truncated` declares the
   * full Content-Length and closes the connection half way. `html` is an HTML
   * page. `wrong-shape` is valid JSON with every value of the wrong type.
   * `huge` pads the body to more than 8 MiB.
   */
  body?: FaultBody;
  /** Limits the fault to the first N requests that it applies to. */
  times?: number;
}

/** One task of a Launchpad bug: the bug's status in one project or package. */
export interface SimLaunchpadTask {
  /** `ubuntu`, `sahara`, or a source package task such as `linux-meta (Ubuntu)`. */
  target: string;
  /** Task status such as `New`, `Triaged` or `Fix Released`. */
  status: string;
  /** Task importance; default `Undecided`. */
  importance?: string;
}

/**
 * One issue as the simulator stores it, in the shape of the data file's
 * `issues` entries. Fields after `labels` apply to one tracker only.
 */
export interface SimIssue {
  source: SimSource;
  /** GitHub `owner/repo`, Jira project key, or Launchpad project. */
  project: string;
  /** Issue number, Jira issue number (after the `-`) or Launchpad bug id. */
  key: string;
  title?: string;
  /**
   * The tracker's own status: GitHub `OPEN`/`CLOSED` (`MERGED` for a pull
   * request), the Jira status name, or the Launchpad task status.
   */
  status?: string;
  labels?: string[];
  /** GitHub: why the issue is in its state. */
  stateReason?: GitHubStateReason | null;
  /** GitHub: the number belongs to a pull request. */
  isPullRequest?: boolean;
  /** GitHub: `owner/repo#N` the issue was transferred to. */
  transferredTo?: string;
  /** Jira: category of the status; inferred from common names when absent. */
  statusCategory?: JiraStatusCategory;
  /** Jira: resolution name; default `Done` in the done category, else none. */
  resolution?: string | null;
  /** Jira: `KEY-N` the issue was moved to. The old key still finds it. */
  movedTo?: string;
  /** Launchpad: target of the single task; default the project. */
  target?: string;
  /** Launchpad: several tasks; replaces `status` and `target`. */
  tasks?: SimLaunchpadTask[];
  /** Launchpad: anonymous readers get the plain-text 404. */
  private?: boolean;
  fault?: SimFault;
}

/** A fault for one issue, as `PUT /_sim/faults` takes it. */
export interface SimIssueFault {
  source: SimSource;
  project: string;
  key: string;
  /** The fault to set, or null to remove the issue's fault. */
  fault: SimFault | null;
}

/**
 * The body of `PUT /_sim/faults`: faults for single issues, a fault for every
 * request of one tracker, or both.
 */
export interface SimFaultsInput {
  faults?: SimIssueFault[];
  tracker?: SimSource;
  /** With `tracker`: the fault, or null to remove that tracker's fault. */
  fault?: SimFault | null;
}

/** Request counts of one tracker. */
export interface TrackerStats {
  requests: number;
  /** Counts per endpoint such as `POST /graphql` or `GET /bugs/{id}`. */
  byEndpoint: Record<string, number>;
  /** Counts per HTTP status sent; reset connections count as `reset`. */
  byStatus: Record<string, number>;
  /** Requests served with a fault. */
  faults: number;
  /** Requests rejected by the simulated rate limit. */
  rateLimited: number;
}

/** The body of `GET /_sim/stats`. */
export interface SimStats {
  github: TrackerStats;
  jira: TrackerStats;
  launchpad: TrackerStats;
  /** Tracker requests of all three trackers. */
  total: number;
  /** Requests to paths that belong to no tracker. */
  unmatched: number;
}

/** One request as the request log keeps it. Headers are never kept. */
export interface RequestLogEntry {
  seq: number;
  time: string;
  tracker: SimSource;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** The first 500 characters of the request body. */
  body?: string;
  endpoint: string;
  /** HTTP status sent; null when the connection was reset. */
  status: number | null;
  durationMs: number;
  /** Issues the request touched, such as `github:octo/repo#7` or `jira:DEMO-12`. */
  issues: string[];
  /** The fault served, such as `status 503` or `reset`. */
  fault?: string;
}

/** Log sink of the simulator; a winston logger fits. */
export interface SimLogger {
  debug(message: string, meta?: Record<string, unknown>): unknown;
  info(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
  error(message: string, meta?: Record<string, unknown>): unknown;
  /** Tells whether debug lines are written, so the simulator can skip building them. */
  isDebugEnabled?(): boolean;
}
