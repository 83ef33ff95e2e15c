import {
  TrackerError,
  classifyHttpError,
  classifyHttpStatus,
  describeTracker,
  parseJsonBody,
  readHeader,
  sendTrackerRequest,
} from '@issue-sync/tracker-core';
import type {
  HttpClient,
  IssueSnapshot,
  TrackerErrorKind,
  TrackerRequestContext,
} from '@issue-sync/tracker-core';
import type { AxiosResponse } from 'axios';
import type pLimit from 'p-limit';

import {
  ISSUE_FIELDS,
  invalidShape,
  isRecord,
  toIssueResult,
} from './jira-issue';
import { parseIssueKey } from './jira-key';
import { buildKeyInJql } from './jql';

const SEARCH_PATH = '/rest/api/3/search/jql';
const ISSUE_PATH = '/rest/api/3/issue';

// A batch of at most 100 keys fits one page unless Jira caps maxResults
// lower. The bound only stops a tracker that never reports its last page.
const MAX_SEARCH_PAGES = 100;

/** Client, message context and request limit shared by the Jira reads. */
export interface JiraReaderDeps {
  client: HttpClient;
  context: TrackerRequestContext;
  /** Bounds single-issue reads in flight. */
  limit: pLimit.Limit;
}

/** Search failures after which the batch is read one issue at a time. */
const FALLBACK_KINDS: ReadonlySet<TrackerErrorKind> = new Set([
  'network',
  'unavailable',
  'invalid_response',
  'not_found',
]);

/** Outage failures of single reads, with no success, before the rest are skipped. */
const MAX_OUTAGE_FAILURES = 3;

/**
 * Reads a batch of issue keys: one JQL search for all of them, then a
 * single read for each key the search did not return, which distinguishes a
 * moved issue from a missing one. A 400 for the whole search makes every key a
 * single read. Each slot gets its own snapshot or error.
 */
export async function readIssueBatch(
  issueKeys: readonly string[],
  deps: JiraReaderDeps,
): Promise<Array<IssueSnapshot | Error>> {
  const uniqueKeys = [...new Set(issueKeys)];
  let results: Map<string, IssueSnapshot | TrackerError>;

  let outage: TrackerError | undefined;
  try {
    results = await searchIssues(uniqueKeys, deps);
  } catch (error: unknown) {
    const trackerError = classifyHttpError(error, deps.context);
    if (uniqueKeys.length === 1 || !FALLBACK_KINDS.has(trackerError.kind)) {
      return issueKeys.map(() => trackerError);
    }
    // One member's fault (a broken body, a key Jira chokes on) must not
    // fail its neighbours, so read each issue on its own.
    deps.context.logger?.warn(
      'Jira key search failed; reading the issues one by one',
      {
        tracker: deps.context.tracker,
        httpStatus: trackerError.httpStatus,
        kind: trackerError.kind,
        size: uniqueKeys.length,
      },
    );
    results = new Map();
    if (
      trackerError.kind === 'network' ||
      trackerError.kind === 'unavailable'
    ) {
      outage = trackerError;
    }
  }

  const unmatched = uniqueKeys.filter((issueKey) => !results.has(issueKey));
  let succeeded = 0;
  let outageFailures = 0;
  const singles = await Promise.all(
    unmatched.map((issueKey) =>
      deps.limit(async () => {
        // During a real outage every single read fails too: after a few
        // such failures with no success, stop sending requests.
        if (
          outage !== undefined &&
          succeeded === 0 &&
          outageFailures >= MAX_OUTAGE_FAILURES
        ) {
          return outage;
        }
        try {
          const snapshot = await readIssue(issueKey, deps);
          succeeded += 1;
          return snapshot;
        } catch (error: unknown) {
          const single = classifyHttpError(error, deps.context);
          if (single.kind === 'network' || single.kind === 'unavailable') {
            outageFailures += 1;
            outage ??= single;
          }
          return single;
        }
      }),
    ),
  );
  unmatched.forEach((issueKey, index) => {
    const single = singles[index];
    if (single !== undefined) {
      results.set(issueKey, single);
    }
  });

  return issueKeys.map(
    (issueKey) =>
      results.get(issueKey) ??
      invalidShape(deps.context, `no answer for issue ${issueKey}`),
  );
}

/**
 * Reads one issue with `GET /rest/api/3/issue/{key}`. For a moved issue
 * requested by its old key, Jira returns the new key in the body, which
 * becomes `movedTo`.
 */
export async function readIssue(
  issueKey: string,
  deps: JiraReaderDeps,
): Promise<IssueSnapshot> {
  const { client, context } = deps;
  const response = await sendTrackerRequest(
    client,
    {
      method: 'GET',
      url: `${ISSUE_PATH}/${encodeURIComponent(issueKey)}`,
      params: { fields: ISSUE_FIELDS.join(',') },
    },
    'issue',
    context,
  );

  if (response.status === 404) {
    throw new TrackerError(
      'not_found',
      context.tracker,
      `Jira issue ${issueKey} does not exist or the account in JIRA_USERNAME ` +
        `cannot see it (404 from ${describeTracker(context)})`,
      { httpStatus: 404 },
    );
  }

  if (!isSuccess(response)) {
    throw classifyJiraStatus(response, context);
  }

  const body = parseJsonBody(response, context, `issue ${issueKey}`);
  const result = toIssueResult(body, context);
  if (result.snapshot instanceof TrackerError) {
    throw result.snapshot;
  }

  if (result.issueKey === issueKey) {
    return result.snapshot;
  }

  const movedTo = parseIssueKey(result.issueKey);

  return movedTo === undefined
    ? result.snapshot
    : { ...result.snapshot, movedTo };
}

async function searchIssues(
  issueKeys: readonly string[],
  deps: JiraReaderDeps,
): Promise<Map<string, IssueSnapshot | TrackerError>> {
  const { client, context } = deps;
  const requested = new Set(issueKeys);
  const results = new Map<string, IssueSnapshot | TrackerError>();
  const jql = buildKeyInJql(issueKeys);
  const seenTokens = new Set<string>();
  let nextPageToken: string | undefined;

  for (let page = 0; page < MAX_SEARCH_PAGES; page += 1) {
    const response = await sendTrackerRequest(
      client,
      {
        method: 'POST',
        url: SEARCH_PATH,
        data: {
          jql,
          fields: ISSUE_FIELDS,
          maxResults: issueKeys.length,
          ...(nextPageToken === undefined ? {} : { nextPageToken }),
        },
      },
      'search/jql',
      context,
    );

    if (!isSuccess(response)) {
      throw classifyJiraStatus(response, context);
    }

    const body = parseJsonBody(response, context, 'an issue search result');
    const searchPage = toSearchPage(body, context);

    // An issue found under a key that was not requested is a moved issue.
    // Its old key stays unmatched, so the single read reports the move.
    for (const result of searchPage.issues) {
      if (requested.has(result.issueKey)) {
        results.set(result.issueKey, result.snapshot);
      }
    }

    if (searchPage.isLast || searchPage.nextPageToken === undefined) {
      return results;
    }

    if (seenTokens.has(searchPage.nextPageToken)) {
      throw invalidShape(context, 'the same nextPageToken twice');
    }
    seenTokens.add(searchPage.nextPageToken);
    nextPageToken = searchPage.nextPageToken;
  }

  throw invalidShape(
    context,
    `more than ${MAX_SEARCH_PAGES} pages for ${issueKeys.length} issue keys`,
  );
}

function toSearchPage(
  body: unknown,
  context: TrackerRequestContext,
): {
  issues: ReturnType<typeof toIssueResult>[];
  isLast: boolean;
  nextPageToken: string | undefined;
} {
  if (!isRecord(body) || !Array.isArray(body.issues)) {
    throw invalidShape(context, 'a search result without an issues list');
  }

  const token = body.nextPageToken;

  return {
    issues: body.issues.map((issue) => toIssueResult(issue, context)),
    isLast: body.isLast === true,
    nextPageToken:
      typeof token === 'string' && token !== '' ? token : undefined,
  };
}

/**
 * Classifies a Jira status that is not 2xx, recognising the CAPTCHA lock
 * that Jira sets after repeated failed logins.
 */
export function classifyJiraStatus(
  response: AxiosResponse<string>,
  context: TrackerRequestContext,
): TrackerError {
  const loginReason = readHeader(response.headers, 'x-seraph-loginreason');
  if (
    (response.status === 401 || response.status === 403) &&
    loginReason?.includes('AUTHENTICATION_DENIED') === true
  ) {
    return new TrackerError(
      'unauthorized',
      context.tracker,
      `${response.status} from ${describeTracker(context)}: Jira locked ` +
        `JIRA_USERNAME behind a CAPTCHA after failed logins; log in once in ` +
        `a browser, then check JIRA_USERNAME and JIRA_TOKEN`,
      { httpStatus: response.status },
    );
  }

  return classifyHttpStatus(response, context);
}

function isSuccess(response: AxiosResponse<string>): boolean {
  return response.status >= 200 && response.status < 300;
}
