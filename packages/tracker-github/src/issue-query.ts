import type { IssueTarget } from './issue-target';

/** Issues and labels asked for per connection page; GitHub allows at most 100. */
export const LABELS_PAGE_SIZE = 100;

const LABEL_PAGE_FRAGMENT = `fragment LabelPage on LabelConnection {
  nodes { name }
  pageInfo { hasNextPage endCursor }
}`;

// PullRequest.state is aliased because the two `state` fields have
// different enum types, which GraphQL forbids under one response name.
const ISSUE_FIELDS_FRAGMENT = `fragment IssueFields on IssueOrPullRequest {
  __typename
  ... on Issue {
    title
    state
    stateReason(enableDuplicate: true)
    url
    labels(first: ${LABELS_PAGE_SIZE}) { ...LabelPage }
  }
  ... on PullRequest {
    title
    pullRequestState: state
    url
    labels(first: ${LABELS_PAGE_SIZE}) { ...LabelPage }
  }
}`;

const RATE_LIMIT_SELECTION = 'rateLimit { cost remaining resetAt limit }';

/** The aliases of one target's issue in the response data. */
export interface BatchMember {
  repositoryAlias: string;
  issueAlias: string;
}

/** A GraphQL document with its variables and the aliases of each target. */
export interface BatchQuery {
  document: string;
  variables: Record<string, string | number>;
  /** One entry per target, in the order of the targets given. */
  members: BatchMember[];
}

/**
 * Builds one query for several issues: a `repository` alias per repository
 * (`r0`, `r1`) holding an `issueOrPullRequest` alias per issue (`i0`,
 * `i1`). Aliases come from indexes and every value travels as a variable,
 * so no owner, name or number ever appears in the document.
 */
export function buildIssueBatchQuery(
  targets: readonly IssueTarget[],
): BatchQuery {
  const repositories = new Map<string, { alias: string; issues: string[] }>();
  const declarations: string[] = [];
  const variables: Record<string, string | number> = {};
  const members: BatchMember[] = [];

  targets.forEach((target, index) => {
    let repository = repositories.get(target.project);
    if (repository === undefined) {
      const repositoryIndex = repositories.size;
      repository = { alias: `r${repositoryIndex}`, issues: [] };
      repositories.set(target.project, repository);
      declarations.push(
        `$o${repositoryIndex}: String!`,
        `$n${repositoryIndex}: String!`,
      );
      variables[`o${repositoryIndex}`] = target.owner;
      variables[`n${repositoryIndex}`] = target.name;
    }

    const issueAlias = `i${index}`;
    declarations.push(`$${issueAlias}: Int!`);
    variables[issueAlias] = target.number;
    repository.issues.push(
      `    ${issueAlias}: issueOrPullRequest(number: $${issueAlias}) { ...IssueFields }`,
    );
    members.push({ repositoryAlias: repository.alias, issueAlias });
  });

  const selections = [...repositories.values()].map((repository) => {
    const index = repository.alias.slice(1);
    return [
      `  ${repository.alias}: repository(owner: $o${index}, name: $n${index}) {`,
      ...repository.issues,
      '  }',
    ].join('\n');
  });
  const document = [
    `query GithubIssues(${declarations.join(', ')}) {`,
    ...selections,
    `  ${RATE_LIMIT_SELECTION}`,
    '}',
    ISSUE_FIELDS_FRAGMENT,
    LABEL_PAGE_FRAGMENT,
  ].join('\n');

  return { document, variables, members };
}

/** Builds the query for the next page of one issue's labels. */
export function buildLabelPageQuery(
  target: IssueTarget,
  after: string,
): BatchQuery {
  const document = [
    'query GithubIssueLabels($o0: String!, $n0: String!, $i0: Int!, $c0: String!) {',
    '  r0: repository(owner: $o0, name: $n0) {',
    '    i0: issueOrPullRequest(number: $i0) {',
    '      __typename',
    `      ... on Issue { labels(first: ${LABELS_PAGE_SIZE}, after: $c0) { ...LabelPage } }`,
    `      ... on PullRequest { labels(first: ${LABELS_PAGE_SIZE}, after: $c0) { ...LabelPage } }`,
    '    }',
    '  }',
    `  ${RATE_LIMIT_SELECTION}`,
    '}',
    LABEL_PAGE_FRAGMENT,
  ].join('\n');

  return {
    document,
    variables: {
      o0: target.owner,
      n0: target.name,
      i0: target.number,
      c0: after,
    },
    members: [{ repositoryAlias: 'r0', issueAlias: 'i0' }],
  };
}

/** The credential check: the token's user and its rate limit. */
export const VIEWER_QUERY = `query GithubViewer {
  viewer { login }
  ${RATE_LIMIT_SELECTION}
}`;
