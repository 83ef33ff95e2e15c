/** One issue of the load test, as the simulator's data file takes it. */
export interface LoadIssue {
  source: 'github' | 'jira' | 'launchpad';
  project: string;
  key: string;
  title: string;
  status: string;
  fault?: Record<string, unknown>;
}

/** An issue in the import file that the simulator does not serve. */
export interface MissingIssue {
  source: LoadIssue['source'];
  project: string;
  key: string;
}

/** Why an issue must end SYNC_FAILED; see `expectedError`. */
export type FailureKind =
  | 'missing'
  | 'github-malformed'
  | 'launchpad-503'
  | 'launchpad-malformed'
  | 'launchpad-401';

export interface LoadPlan {
  served: LoadIssue[];
  missing: MissingIssue[];
  /** `SOURCE project key` of every issue that must fail, with the reason. */
  failures: Map<string, FailureKind>;
}

export const GITHUB_ISSUES = 40_000;
export const JIRA_ISSUES = 30_000;
export const LAUNCHPAD_ISSUES = 30_000;
export const MISSING_PER_TRACKER = 100;

/** Returns `SOURCE project key`, as the issue table spells source and project. */
export function referenceOf(issue: {
  source: string;
  project: string;
  key: string;
}): string {
  return `${issue.source.toUpperCase()} ${issue.project} ${issue.key}`;
}

function githubIssue(n: number): LoadIssue {
  return {
    source: 'github',
    project: `load-org-${n % 20}/repo-${n % 25}`,
    key: String(n),
    title: `load ${n}`,
    status: 'OPEN',
  };
}

function jiraIssue(n: number): LoadIssue {
  return {
    source: 'jira',
    project: `LOAD${n % 5}`,
    key: String(n),
    title: `load ${n}`,
    status: 'In Progress',
  };
}

function launchpadIssue(n: number): LoadIssue {
  return {
    source: 'launchpad',
    project: `load-project-${n % 3}`,
    key: String(3_000_000 + n),
    title: `load ${3_000_000 + n}`,
    status: 'Triaged',
  };
}

/**
 * Builds the load test's issues. Faults go on Launchpad bugs, which are
 * read one by one, and on a few GitHub issues, whose failed batch falls
 * back to single reads. Jira issues get none: a fault fails the whole JQL
 * search of up to 50 issues, and which neighbours run out of attempts
 * depends on timing, so exact counts would not hold.
 */
export function buildLoadPlan(): LoadPlan {
  const served: LoadIssue[] = [];
  const failures = new Map<string, FailureKind>();
  const fail = (issue: LoadIssue, kind: FailureKind, fault: object): void => {
    issue.fault = { ...fault };
    failures.set(referenceOf(issue), kind);
  };

  for (let n = 1; n <= GITHUB_ISSUES; n += 1) {
    const issue = githubIssue(n);
    if (n % 4000 === 7) {
      fail(issue, 'github-malformed', { body: 'malformed' });
    }
    served.push(issue);
  }
  for (let n = 1; n <= JIRA_ISSUES; n += 1) {
    served.push(jiraIssue(n));
  }
  for (let n = 1; n <= LAUNCHPAD_ISSUES; n += 1) {
    const issue = launchpadIssue(n);
    const slot = n % 600;
    if (slot === 1) {
      fail(issue, 'launchpad-503', { status: 503 });
    } else if (slot === 2) {
      fail(issue, 'launchpad-malformed', { body: 'malformed' });
    } else if (slot === 3 && n % 1500 === 3) {
      fail(issue, 'launchpad-401', { status: 401 });
    } else if (slot === 4) {
      issue.fault = { status: 502, times: 1 };
    }
    served.push(issue);
  }

  const missing: MissingIssue[] = [];
  for (let i = 1; i <= MISSING_PER_TRACKER; i += 1) {
    missing.push(
      {
        source: 'github',
        project: 'load-org-0/repo-0',
        key: String(900_000 + i),
      },
      { source: 'jira', project: 'LOAD0', key: String(900_000 + i) },
      {
        source: 'launchpad',
        project: 'load-project-0',
        key: String(9_000_000 + i),
      },
    );
  }
  for (const issue of missing) {
    failures.set(referenceOf(issue), 'missing');
  }

  return { served, missing, failures };
}

/** Returns the issue URL the import file contains for `issue`. */
export function issueUrl(
  issue: { source: string; project: string; key: string },
  jiraBaseUrl: string,
): string {
  if (issue.source === 'github') {
    return `https://github.com/${issue.project}/issues/${issue.key}`;
  }
  if (issue.source === 'jira') {
    return `${jiraBaseUrl}/browse/${issue.project}-${issue.key}`;
  }

  return `https://bugs.launchpad.net/${issue.project}/+bug/${issue.key}`;
}

/** The tracker URLs error messages name. */
export interface SimulatorUrls {
  githubApiUrl: string;
  jiraBaseUrl: string;
  launchpadApiUrl: string;
}

/** Returns the sync_error an issue that failed for `kind` must have. */
export function expectedError(
  kind: FailureKind,
  issue: { source: string; project: string; key: string },
  urls: SimulatorUrls,
  attempts: number,
): string | RegExp {
  const after = `(after ${attempts} attempts)`;
  switch (kind) {
    case 'missing':
      if (issue.source === 'github') {
        return `GitHub issue ${issue.project}#${issue.key} not found at ${urls.githubApiUrl}: it was deleted, transferred to a repository the token cannot see, or the repository is private or was renamed; check the issue URL and that GITHUB_TOKEN can read the repository ${after}`;
      }
      if (issue.source === 'jira') {
        return `Jira issue ${issue.project}-${issue.key} does not exist or the account in JIRA_USERNAME cannot see it (404 from Jira at ${urls.jiraBaseUrl}) ${after}`;
      }
      return `Launchpad bug ${issue.key} is missing or private (404 from Launchpad at ${urls.launchpadApiUrl}): anonymous readers cannot tell the two apart, so check the bug number in a browser while logged in ${after}`;
    case 'github-malformed':
      return `GitHub at ${urls.githubApiUrl} sent malformed or truncated JSON (HTTP 200) for the GraphQL query ${after}`;
    case 'launchpad-503':
      return `503 Service Unavailable from Launchpad at ${urls.launchpadApiUrl}: the tracker is down or overloaded; try again later ${after}`;
    case 'launchpad-malformed':
      // The bug and its tasks are read at once, and both bodies are broken;
      // the message names whichever was parsed first.
      return new RegExp(
        `^Launchpad at \\S+ sent the (?:entry|tasks) of bug ${issue.key} that is not valid JSON \\(HTTP 200, content type application/json, \\d+ characters\\) \\(after ${attempts} attempts\\)$`,
      );
    case 'launchpad-401':
      return `401 Unauthorized from Launchpad at ${urls.launchpadApiUrl}: Launchpad is read anonymously, so check that LAUNCHPAD_API_URL points at its public web service ${after}`;
  }
}
