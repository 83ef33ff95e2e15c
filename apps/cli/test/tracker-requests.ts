import type { RecordedRequest } from './recording-proxy';

/** What one tracker request asked for, read from its path, query and body. */
export interface RequestReferences {
  /** Issues named, such as `GITHUB canonical/checkbox 1` or `JIRA DEMO 10`. */
  issues: string[];
  /** GitHub `owner/repo` names sent as GraphQL variables or in REST paths. */
  githubProjects: string[];
  /** Every value that came from an issue reference, for fragment checks. */
  values: string[];
  /** The GraphQL document, which must hold no value of its own. */
  graphqlDocument?: string;
}

const GITHUB_GRAPHQL = /^\/github\/graphql$/;
const GITHUB_REST_ISSUE =
  /^\/github\/repos\/([^/?]+)\/([^/?]+)\/issues\/([^/?]+)$/;
const JIRA_SEARCH = /^\/jira\/rest\/api\/3\/search\/jql$/;
const JIRA_ISSUE = /^\/jira\/rest\/api\/3\/issue\/([^/?]+)$/;
const LAUNCHPAD_BUG = /^\/launchpad\/devel\/bugs\/([^/?]+)(?:\/bug_tasks)?$/;
const JQL_KEY_IN = /^key in \(("[^"]*"(?:, "[^"]*")*)\)$/;

function readJson(body: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(body);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`request body is not a JSON object: ${body.slice(0, 200)}`);
  }

  return parsed as Record<string, unknown>;
}

// Variables are o0/n0 (owner and name of repository 0), i0 (issue number
// of alias i0) and c0 (a label cursor); the document pairs them up.
function readGraphql(body: string): RequestReferences {
  const json = readJson(body);
  const document = String(json.query);
  const variables = (json.variables ?? {}) as Record<string, unknown>;
  const values = Object.entries(variables)
    .filter(([name]) => !name.startsWith('c'))
    .map(([, value]) => String(value));
  const repositories = new Map<string, string>();
  for (const match of document.matchAll(
    /(r\d+): repository\(owner: \$(o\d+), name: \$(n\d+)\)/g,
  )) {
    repositories.set(
      match[1]!,
      `${String(variables[match[2]!])}/${String(variables[match[3]!])}`,
    );
  }
  const issues: string[] = [];
  let repository: string | undefined;
  for (const line of document.split('\n')) {
    const opened = /^\s*(r\d+): repository\(/.exec(line);
    if (opened !== null) {
      repository = repositories.get(opened[1]!);
    }
    const issue = /issueOrPullRequest\(number: \$(i\d+)\)/.exec(line);
    if (issue !== null && repository !== undefined) {
      const project = repository.toLowerCase();
      issues.push(`GITHUB ${project} ${String(variables[issue[1]!])}`);
    }
  }

  return {
    issues,
    githubProjects: [...repositories.values()],
    values,
    graphqlDocument: document,
  };
}

function readJiraSearch(body: string): RequestReferences {
  const jql = String(readJson(body).jql);
  const match = JQL_KEY_IN.exec(jql);
  if (match === null) {
    throw new Error(`unexpected JQL: ${jql}`);
  }
  const keys = [...match[1]!.matchAll(/"([^"]*)"/g)].map((key) => key[1]!);

  return {
    issues: keys.map((key) => toJiraReference(key)),
    githubProjects: [],
    values: [jql, ...keys],
  };
}

function toJiraReference(issueKey: string): string {
  const dash = issueKey.lastIndexOf('-');

  return `JIRA ${issueKey.slice(0, dash)} ${issueKey.slice(dash + 1)}`;
}

/**
 * Reads which issues a recorded tracker request named. Throws for a
 * request of a shape no adapter sends, so nothing goes unchecked.
 */
export function readRequestReferences(
  request: RecordedRequest,
): RequestReferences {
  const url = new URL(request.url, 'http://proxy.invalid');
  const path = url.pathname;
  if (request.method === 'POST' && GITHUB_GRAPHQL.test(path)) {
    return readGraphql(request.body);
  }
  if (request.method === 'POST' && JIRA_SEARCH.test(path)) {
    return readJiraSearch(request.body);
  }

  const githubRest = GITHUB_REST_ISSUE.exec(path);
  if (request.method === 'GET' && githubRest !== null) {
    const project = `${githubRest[1]}/${githubRest[2]}`;
    return {
      issues: [`GITHUB ${project.toLowerCase()} ${githubRest[3]}`],
      githubProjects: [project],
      values: [githubRest[1]!, githubRest[2]!, githubRest[3]!],
    };
  }
  const jiraIssue = JIRA_ISSUE.exec(path);
  if (request.method === 'GET' && jiraIssue !== null) {
    return {
      issues: [toJiraReference(jiraIssue[1]!)],
      githubProjects: [],
      values: [jiraIssue[1]!],
    };
  }
  const bug = LAUNCHPAD_BUG.exec(path);
  if (request.method === 'GET' && bug !== null) {
    // A Launchpad request names only the bug; the project is not sent.
    return {
      issues: [`LAUNCHPAD * ${bug[1]}`],
      githubProjects: [],
      values: [bug[1]!],
    };
  }

  throw new Error(
    `unexpected tracker request ${request.method} ${request.url}`,
  );
}
