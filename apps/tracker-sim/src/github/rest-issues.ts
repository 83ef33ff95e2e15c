import { jsonReply, type Reply } from '../http-reply';
import type { GitHubRecord, GitHubRepo, IssueStore } from '../issue-store';
import type { RouteRequest, RouteResult } from '../route';
import {
  GET_ISSUE_DOCS_URL,
  githubBaseHeaders,
  REST_DOCS_URL,
} from './github-bodies';

const BY_NAME = /^\/repos\/([^/]+)\/([^/]+)\/issues\/([1-9][0-9]*)$/;
const BY_ID = /^\/repositories\/([1-9][0-9]*)\/issues\/([1-9][0-9]*)$/;

/** Names a REST endpoint for stats; undefined for paths it does not serve. */
export function restEndpointOf(
  method: string,
  path: string,
): string | undefined {
  if (BY_NAME.test(path)) {
    return `${method} /repos/{owner}/{repo}/issues/{number}`;
  }
  if (BY_ID.test(path)) {
    return `${method} /repositories/{id}/issues/{number}`;
  }

  return undefined;
}

function notFound(documentationUrl = GET_ISSUE_DOCS_URL): Reply {
  return jsonReply(
    404,
    {
      message: 'Not Found',
      documentation_url: documentationUrl,
      status: '404',
    },
    githubBaseHeaders('v3'),
  );
}

function toRestIssue(
  record: GitHubRecord,
  repo: GitHubRepo,
  apiBase: string,
): unknown {
  const repositoryUrl = `${apiBase}/repos/${repo.nameWithOwner}`;
  const kind = record.isPullRequest ? 'pull' : 'issues';
  const htmlUrl = `https://github.com/${repo.nameWithOwner}/${kind}/${record.number}`;
  const issue: Record<string, unknown> = {
    url: `${repositoryUrl}/issues/${record.number}`,
    repository_url: repositoryUrl,
    html_url: htmlUrl,
    id: repo.databaseId * 1000 + record.number,
    number: record.number,
    title: record.title,
    labels: record.labels.map((name) => ({ name })),
    // REST reports a merged pull request as closed.
    state: record.state === 'OPEN' ? 'open' : 'closed',
    state_reason: record.stateReason?.toLowerCase() ?? null,
  };
  if (record.isPullRequest) {
    issue.pull_request = {
      url: `${repositoryUrl}/pulls/${record.number}`,
      html_url: htmlUrl,
    };
  }

  return issue;
}

function respondWithIssue(
  repo: GitHubRepo | undefined,
  number: number,
  store: IssueStore,
  apiBase: string,
): RouteResult {
  if (repo === undefined) {
    return { reply: notFound(), touched: [] };
  }
  const touched = [`github:${repo.key}#${number}`];
  const record = repo.issues.get(number);
  if (record === undefined) {
    return { reply: notFound(), touched };
  }
  if (record.transferredTo === undefined) {
    return {
      reply: jsonReply(
        200,
        toRestIssue(record, repo, apiBase),
        githubBaseHeaders('v3'),
      ),
      touched,
    };
  }

  // GitHub redirects a transferred issue's old address to the
  // new repository by id, which clients such as Octokit follow.
  const target = store.githubRepo(
    ...splitName(record.transferredTo.nameWithOwner),
  );
  if (target === undefined) {
    return { reply: notFound(), touched };
  }
  const location = `${apiBase}/repositories/${target.databaseId}/issues/${record.transferredTo.number}`;

  return {
    reply: jsonReply(
      301,
      {
        message: 'Moved Permanently',
        url: location,
        documentation_url: GET_ISSUE_DOCS_URL,
      },
      { ...githubBaseHeaders('v3'), location },
    ),
    touched,
  };
}

function splitName(nameWithOwner: string): [string, string] {
  const [owner, name] = nameWithOwner.split('/');

  return [owner!, name!];
}

/** Serves the REST issue endpoints used to follow transferred issues. */
export function handleRestRequest(
  request: RouteRequest,
  store: IssueStore,
): RouteResult {
  if (request.method !== 'GET') {
    return { reply: notFound(REST_DOCS_URL), touched: [] };
  }
  const apiBase = `${request.origin}/github`;
  const byName = BY_NAME.exec(request.path);
  if (byName !== null) {
    const repo = store.githubRepo(
      decodeURIComponent(byName[1]!),
      decodeURIComponent(byName[2]!),
    );

    return respondWithIssue(repo, Number(byName[3]), store, apiBase);
  }
  const byId = BY_ID.exec(request.path);
  if (byId !== null) {
    const repo = store.githubRepoById(Number(byId[1]));

    return respondWithIssue(repo, Number(byId[2]), store, apiBase);
  }

  return { reply: notFound(REST_DOCS_URL), touched: [] };
}
