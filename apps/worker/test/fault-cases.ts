import type { SimFault, SimIssue, SimSource } from '@issue-sync/tracker-sim';

/** The simulator's base URL of each tracker, as messages name them. */
export interface TrackerUrls {
  github: string;
  jira: string;
  launchpad: string;
}

/** What one issue's row, failed job and log must show after the sweep. */
export interface ExpectedOutcome {
  syncStatus: 'SYNCED' | 'SYNC_FAILED';
  /**
   * Accepted values of sync_error; null for SYNCED. Most cases accept one
   * exact message. A case accepts two when the failing request may differ
   * between runs: a Jira search or single read, a Launchpad bug or its tasks.
   */
  syncErrors: Array<string | RegExp> | null;
  /** attemptsMade of the failed job; undefined when the job completed. */
  attempts?: number;
  /** `kind` of the worker's `sync failed` log line. */
  kind?: string;
}

/** One fault applied to one issue of each tracker. */
export interface FaultCase {
  name: string;
  fault: SimFault;
  /**
   * Run the case with its issue alone in the queue. A 401, 403 or rate limit
   * concerns every issue of a request, and a wrong-shaped body cannot be
   * traced to one issue, so a batch shares these faults with its neighbours
   * by design.
   */
  alone: boolean;
  expected: (tracker: SimSource, issue: IssueKeys) => ExpectedOutcome;
}

/** The ways one issue is named in messages. */
export interface IssueKeys {
  urls: TrackerUrls;
  /** `owner/repo#N`, `PROJECT-N` or the Launchpad bug number. */
  issueKey: string;
}

/** SYNC_RETRY_ATTEMPTS of the fault matrix worker. */
export const RETRY_ATTEMPTS = 4;
/** Attempts an invalid_response failure gets (INVALID_RESPONSE_MAX_ATTEMPTS of the retry policy). */
export const INVALID_RESPONSE_ATTEMPTS = 3;
/** TRACKER_TIMEOUT_MS of the fault matrix worker. */
export const TIMEOUT_MS = 1000;
/** The default TRACKER_MAX_RESPONSE_BYTES, 5 MiB. */
export const MAX_RESPONSE_BYTES = 5 * 1024 * 1024;

const NAMES: Record<SimSource, string> = {
  github: 'GitHub',
  jira: 'Jira',
  launchpad: 'Launchpad',
};

const JIRA_CREDENTIAL_HINT =
  "check JIRA_USERNAME and JIRA_TOKEN: the token may be expired, revoked or wrong, and JIRA_USERNAME must be the account's e-mail address. Jira Cloud rejects account passwords, so JIRA_TOKEN must be an API token (https://id.atlassian.com/manage-profile/security/api-tokens)";

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function failed(
  kind: string,
  messages: Array<string | RegExp>,
  attempts = kind === 'invalid_response'
    ? INVALID_RESPONSE_ATTEMPTS
    : RETRY_ATTEMPTS,
): ExpectedOutcome {
  const suffix = ` (after ${attempts} attempts)`;

  return {
    syncStatus: 'SYNC_FAILED',
    syncErrors: messages.map((message) =>
      typeof message === 'string'
        ? `${message}${suffix}`
        : new RegExp(`${message.source.slice(0, -1)}${escape(suffix)}$`),
    ),
    attempts,
    kind,
  };
}

const SYNCED: ExpectedOutcome = { syncStatus: 'SYNCED', syncErrors: null };

/** Builds the message classifyHttpStatus returns for a Jira or Launchpad status. */
function statusMessage(
  tracker: SimSource,
  url: string,
  status: string,
  advice: string,
): string {
  return `${status} from ${NAMES[tracker]} at ${url}: ${advice}`;
}

function unavailable(
  tracker: SimSource,
  { urls }: IssueKeys,
  status: number,
  reason: string,
  html = false,
): ExpectedOutcome {
  if (tracker === 'github') {
    const page = html ? ', an HTML error page' : '';
    return failed('unavailable', [
      `GitHub at ${urls.github} is unavailable (HTTP ${status}${page}): GitHub or a proxy in front of it may be down or overloaded`,
    ]);
  }

  return failed('unavailable', [
    statusMessage(
      tracker,
      urls[tracker],
      `${status} ${reason}`,
      'the tracker is down or overloaded; try again later',
    ),
  ]);
}

/**
 * Every fault of the matrix with the outcome the error table of the design
 * prescribes: retryable kinds use all attempts, invalid_response at most
 * three, rate limits none.
 */
export const FAULT_CASES: FaultCase[] = [
  {
    name: '401',
    fault: { status: 401 },
    alone: true,
    expected: (tracker, { urls }) => {
      const advice = {
        github: 'check GITHUB_TOKEN (it may be expired or revoked)',
        jira: JIRA_CREDENTIAL_HINT,
        launchpad:
          'Launchpad is read anonymously, so check that LAUNCHPAD_API_URL points at its public web service',
      }[tracker];
      return failed('unauthorized', [
        statusMessage(tracker, urls[tracker], '401 Unauthorized', advice),
      ]);
    },
  },
  {
    name: '403',
    fault: { status: 403 },
    alone: true,
    expected: (tracker, { urls }) => {
      const advice =
        tracker === 'github'
          ? 'Resource not accessible by personal access token; check that GITHUB_TOKEN may read the repository (SAML single sign-on, IP allow lists and fine-grained token permissions can block it)'
          : 'access was denied (a private project, or an account without permission to read it)';
      return failed('forbidden', [
        statusMessage(tracker, urls[tracker], '403 Forbidden', advice),
      ]);
    },
  },
  {
    name: '404',
    fault: { status: 404 },
    alone: false,
    expected: (tracker, { urls, issueKey }) => {
      if (tracker === 'github') {
        return failed('not_found', [
          `GitHub at ${urls.github} answered 404 Not Found for the GraphQL query: check GITHUB_API_URL (https://api.github.com, or https://HOST/api for GitHub Enterprise Server)`,
        ]);
      }
      if (tracker === 'jira') {
        return failed('not_found', [
          `Jira issue ${issueKey} does not exist or the account in JIRA_USERNAME cannot see it (404 from Jira at ${urls.jira})`,
          statusMessage(
            tracker,
            urls.jira,
            '404 Not Found',
            'the resource does not exist; check JIRA_BASE_URL',
          ),
        ]);
      }
      return failed('not_found', [
        `Launchpad bug ${issueKey} is missing or private (404 from Launchpad at ${urls.launchpad}): anonymous readers cannot tell the two apart, so check the bug number in a browser while logged in`,
      ]);
    },
  },
  {
    // More 429 responses than attempts: the issue syncs only if waiting for a
    // rate limit spends no attempt.
    name: '429 with Retry-After',
    fault: { status: 429, retryAfterSec: 1, times: RETRY_ATTEMPTS + 1 },
    alone: true,
    expected: () => SYNCED,
  },
  {
    name: '500',
    fault: { status: 500 },
    alone: false,
    expected: (tracker, issue) =>
      unavailable(tracker, issue, 500, 'Internal Server Error'),
  },
  {
    name: '502',
    fault: { status: 502 },
    alone: false,
    expected: (tracker, issue) =>
      unavailable(tracker, issue, 502, 'Bad Gateway'),
  },
  {
    name: 'HTML 503 page',
    fault: { status: 503, body: 'html' },
    alone: false,
    expected: (tracker, issue) =>
      unavailable(tracker, issue, 503, 'Service Unavailable', true),
  },
  {
    name: 'timeout',
    fault: { delayMs: TIMEOUT_MS * 3 },
    alone: false,
    expected: (tracker, { urls }) =>
      failed('network', [
        tracker === 'github'
          ? `GitHub at ${urls.github} timed out after ${TIMEOUT_MS} ms: check the network, or raise TRACKER_TIMEOUT_MS`
          : `Request to ${NAMES[tracker]} at ${urls[tracker]} timed out after ${TIMEOUT_MS} ms: check that the tracker is up and reachable, or raise TRACKER_TIMEOUT_MS`,
      ]),
  },
  {
    name: 'reset connection',
    fault: { reset: true },
    alone: false,
    expected: (tracker, { urls }) =>
      failed('network', [
        tracker === 'github'
          ? `GitHub at ${urls.github} could not be reached (ECONNRESET): check GITHUB_API_URL and the network`
          : `The connection to ${NAMES[tracker]} at ${urls[tracker]} was closed before the response ended (ECONNRESET): check the tracker's status and any proxy in between`,
      ]),
  },
  {
    name: 'malformed JSON',
    fault: { body: 'malformed' },
    alone: false,
    expected: (tracker, { urls, issueKey }) => {
      if (tracker === 'github') {
        return failed('invalid_response', [
          `GitHub at ${urls.github} sent malformed or truncated JSON (HTTP 200) for the GraphQL query`,
        ]);
      }
      const notJson = (what: string, contentType: string) =>
        new RegExp(
          `^${escape(`${NAMES[tracker]} at ${urls[tracker]} sent ${what} that is not valid JSON (HTTP 200, content type ${contentType}, `)}\\d+ characters\\)$`,
        );
      if (tracker === 'jira') {
        return failed('invalid_response', [
          notJson(`issue ${issueKey}`, 'application/json;charset=UTF-8'),
          notJson('an issue search result', 'application/json;charset=UTF-8'),
        ]);
      }
      // Launchpad's bug and its tasks are read at once, and either
      // malformed body may be the first to fail the attempt.
      return failed('invalid_response', [
        notJson(`the entry of bug ${issueKey}`, 'application/json'),
        notJson(`the tasks of bug ${issueKey}`, 'application/json'),
      ]);
    },
  },
  {
    name: 'truncated body',
    fault: { body: 'truncated' },
    alone: false,
    expected: (tracker, { urls }) => {
      if (tracker === 'github') {
        return failed('network', [
          `GitHub at ${urls.github} closed the connection before the response was complete (UND_ERR_SOCKET): check GITHUB_API_URL and the network`,
        ]);
      }
      // Node reports the early close as a reset or as a short body,
      // depending on when the socket closes.
      return failed('network', [
        new RegExp(
          `^${escape(`The connection to ${NAMES[tracker]} at ${urls[tracker]} was closed before the response ended (`)}(ERR_BAD_RESPONSE|ECONNRESET)${escape("): check the tracker's status and any proxy in between")}$`,
        ),
      ]);
    },
  },
  {
    name: 'wrong shape',
    fault: { body: 'wrong-shape' },
    alone: true,
    expected: (tracker, { urls, issueKey }) => {
      if (tracker === 'github') {
        return failed('invalid_response', [
          `GitHub at ${urls.github} sent ${issueKey} in the wrong shape: __typename is 5, expected Issue or PullRequest`,
        ]);
      }
      if (tracker === 'jira') {
        const shape = 'the answer does not have the shape of Jira REST API v3';
        return failed('invalid_response', [
          `Jira at ${urls.jira} sent a search result without an issues list: ${shape}`,
          `Jira at ${urls.jira} sent an issue without a key: ${shape}`,
        ]);
      }
      const launchpadShape =
        'the response does not have the shape of the Launchpad web service';
      return failed('invalid_response', [
        `Launchpad at ${urls.launchpad} sent bug ${issueKey} without a title string: ${launchpadShape}`,
        `Launchpad at ${urls.launchpad} sent bug ${issueKey} tasks without an entries list: ${launchpadShape}`,
      ]);
    },
  },
  {
    name: 'huge body',
    fault: { body: 'huge' },
    alone: false,
    expected: (tracker, { urls }) =>
      failed('invalid_response', [
        tracker === 'github'
          ? `GitHub at ${urls.github} sent a response larger than ${MAX_RESPONSE_BYTES} bytes: raise TRACKER_MAX_RESPONSE_BYTES or lower TRACKER_BATCH_SIZE`
          : `Response from ${NAMES[tracker]} at ${urls[tracker]} is larger than ${MAX_RESPONSE_BYTES} bytes: raise TRACKER_MAX_RESPONSE_BYTES if such answers are expected`,
      ]),
  },
  {
    // Three 500 responses, then successful ones: the fourth attempt at the
    // latest reads the issue.
    name: '500 clearing after 3 requests',
    fault: { status: 500, times: RETRY_ATTEMPTS - 1 },
    alone: false,
    expected: () => SYNCED,
  },
  {
    name: 'reset clearing after 1 request',
    fault: { reset: true, times: 1 },
    alone: false,
    expected: () => SYNCED,
  },
];

/** One issue of the matrix: a faulty one, or the healthy one before it. */
export interface MatrixIssue {
  sim: SimIssue;
  /** The case whose fault the issue gets; undefined for a neighbour. */
  faultCase?: FaultCase;
}

function trackerIssue(
  source: SimSource,
  number: number,
  title: string,
): SimIssue {
  if (source === 'github') {
    return {
      source,
      project: 'fault-org/matrix',
      key: String(number),
      title,
      status: 'OPEN',
      labels: ['matrix'],
    };
  }
  if (source === 'jira') {
    return {
      source,
      project: 'FLT',
      key: String(number),
      title,
      status: 'In Progress',
      statusCategory: 'indeterminate',
      labels: ['matrix'],
    };
  }

  return {
    source,
    project: 'ubuntu',
    key: String(300_000 + number),
    title,
    status: 'Triaged',
    target: 'ubuntu',
    labels: ['matrix'],
  };
}

/**
 * Builds the matrix issues of one tracker in registration order: for each
 * case a healthy neighbour, then the issue the fault will apply to. Sync
 * jobs run in that order, so every batch mixes healthy and faulty issues.
 */
export function buildMatrixIssues(source: SimSource): MatrixIssue[] {
  return FAULT_CASES.flatMap((faultCase, index) => [
    {
      sim: trackerIssue(
        source,
        2 * index + 1,
        `${NAMES[source]} neighbour of ${faultCase.name}`,
      ),
    },
    {
      sim: trackerIssue(
        source,
        2 * index + 2,
        `${NAMES[source]} issue with ${faultCase.name}`,
      ),
      faultCase,
    },
  ]);
}

/** Returns the key that messages use for an issue: `owner/repo#N`, `PROJECT-N` or the bug number. */
export function issueKeyOf(issue: SimIssue): string {
  if (issue.source === 'github') {
    return `${issue.project}#${issue.key}`;
  }
  if (issue.source === 'jira') {
    return `${issue.project}-${issue.key}`;
  }

  return issue.key;
}

/** Returns the issue URL that `issue-sync add` takes. */
export function issueUrlOf(issue: SimIssue, jiraBaseUrl: string): string {
  if (issue.source === 'github') {
    return `https://github.com/${issue.project}/issues/${issue.key}`;
  }
  if (issue.source === 'jira') {
    return `${jiraBaseUrl}/browse/${issue.project}-${issue.key}`;
  }

  return `https://bugs.launchpad.net/${issue.project}/+bug/${issue.key}`;
}
