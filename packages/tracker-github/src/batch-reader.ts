import type { TrackerError } from '@issue-sync/tracker-core';

import { toMessageExcerpt, type GithubErrorFactory } from './github-errors';
import type { GraphqlSuccess } from './graphql-requester';
import type { BatchQuery } from './issue-query';
import { readIssueNode, type IssueNode } from './issue-node';
import type { IssueTarget } from './issue-target';
import { isObject } from './json-value';
import type { GraphqlErrorEntry } from './response-classifier';

/** The result of a batch response for one of its issues. */
export type MemberOutcome<N = IssueNode> =
  | { type: 'found'; node: N }
  /** NOT_FOUND at the issue: deleted, transferred, or not visible. */
  | { type: 'issue-missing' }
  | { type: 'failed'; error: TrackerError };

/**
 * Splits a batch response into one outcome per target. An error fails only
 * the aliases its `path` names, so the other issues keep their data.
 * `readNode` checks each issue's selection and returns what is wrong with
 * it as a string.
 */
export function readBatchMembers<N = IssueNode>(
  query: BatchQuery,
  targets: readonly IssueTarget[],
  result: GraphqlSuccess,
  errors: GithubErrorFactory,
  readNode: (value: unknown) => N | string = readIssueNode as (
    value: unknown,
  ) => N | string,
): Array<MemberOutcome<N>> {
  const entriesByPath = indexByPath(result.errors);

  return query.members.map((member, index) => {
    const target = targets[index] as IssueTarget;
    const repository = result.data[member.repositoryAlias];
    if (repository === null || repository === undefined) {
      const entry = entriesByPath.get(member.repositoryAlias);
      return {
        type: 'failed',
        error: repositoryFailure(entry, target, result.httpStatus, errors),
      };
    }
    if (!isObject(repository)) {
      return wrongShape(
        target,
        'the repository is not an object',
        result,
        errors,
      );
    }

    const value = repository[member.issueAlias];
    const entry = entriesByPath.get(
      `${member.repositoryAlias}/${member.issueAlias}`,
    );
    if (value === null || value === undefined) {
      if (entry?.type === 'NOT_FOUND') {
        return { type: 'issue-missing' };
      }
      if (entry !== undefined) {
        return {
          type: 'failed',
          error: fieldFailure(entry, target, result.httpStatus, errors),
        };
      }
      return wrongShape(target, 'the issue is missing', result, errors);
    }

    const node = readNode(value);
    if (typeof node === 'string') {
      return wrongShape(target, node, result, errors);
    }

    return { type: 'found', node };
  });
}

// Keys are the first one or two path elements: "r0" or "r0/i3". An error
// deeper inside an issue, such as in its labels, counts for the issue.
function indexByPath(
  entries: GraphqlErrorEntry[],
): Map<string, GraphqlErrorEntry> {
  const index = new Map<string, GraphqlErrorEntry>();
  for (const entry of entries) {
    const path = entry.path;
    if (!Array.isArray(path) || path.length === 0) {
      continue;
    }
    const key = path.slice(0, 2).map(String).join('/');
    if (!index.has(key)) {
      index.set(key, entry);
    }
  }

  return index;
}

function repositoryFailure(
  entry: GraphqlErrorEntry | undefined,
  target: IssueTarget,
  httpStatus: number,
  errors: GithubErrorFactory,
): TrackerError {
  if (entry?.type === 'NOT_FOUND') {
    return errors.create(
      'not_found',
      `GitHub repository ${target.project} was not found at ${errors.apiUrl} (issue ${target.issueKey}): it does not exist, was deleted, or is private and GITHUB_TOKEN cannot read it; check the issue URL and the token's access`,
      { httpStatus },
    );
  }
  if (entry !== undefined) {
    return fieldFailure(entry, target, httpStatus, errors);
  }

  return errors.create(
    'invalid_response',
    `GitHub at ${errors.apiUrl} sent no repository ${target.project} and no error for it (issue ${target.issueKey})`,
    { httpStatus },
  );
}

function fieldFailure(
  entry: GraphqlErrorEntry,
  target: IssueTarget,
  httpStatus: number,
  errors: GithubErrorFactory,
): TrackerError {
  const message = toMessageExcerpt(entry.message);
  if (entry.type === 'FORBIDDEN') {
    return errors.create(
      'forbidden',
      `GitHub at ${errors.apiUrl} refused access to ${target.issueKey} (${message}): check that GITHUB_TOKEN may read ${target.project}, including SAML single sign-on authorization for its organization`,
      { httpStatus },
    );
  }
  if (entry.type === undefined) {
    return errors.create(
      'unavailable',
      `GitHub at ${errors.apiUrl} could not load ${target.issueKey}: ${message}`,
      { httpStatus },
    );
  }

  return errors.create(
    'invalid_response',
    `GitHub at ${errors.apiUrl} could not return ${target.issueKey} (${entry.type}: ${message})`,
    { httpStatus },
  );
}

function wrongShape(
  target: IssueTarget,
  detail: string,
  result: GraphqlSuccess,
  errors: GithubErrorFactory,
): { type: 'failed'; error: TrackerError } {
  return {
    type: 'failed',
    error: errors.create(
      'invalid_response',
      `GitHub at ${errors.apiUrl} sent ${target.issueKey} in the wrong shape: ${detail}`,
      { httpStatus: result.httpStatus },
    ),
  };
}
