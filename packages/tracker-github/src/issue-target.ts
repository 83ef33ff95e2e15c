import type { IssueRef, TrackerError } from '@issue-sync/tracker-core';

import type { GithubErrorFactory } from './github-errors';

/** A GitHub issue reference, checked and split into query values. */
export interface IssueTarget {
  owner: string;
  name: string;
  number: number;
  /** `owner/name` in lower case, as stored in the issue table. */
  project: string;
  /** `owner/name#number`, for messages and log fields. */
  issueKey: string;
}

// GitHub account names: letters, digits and single inner hyphens, at most
// 39 characters. Repository names: letters, digits, '.', '_' and '-'.
const OWNER_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const NAME_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;
// GraphQL's Int is a signed 32-bit integer.
const MAX_ISSUE_NUMBER = 2_147_483_647;

/**
 * Checks that a reference can name a GitHub issue. Returns the target, or a
 * TrackerError of kind invalid_reference that names the bad part.
 */
export function toIssueTarget(
  ref: IssueRef,
  errors: GithubErrorFactory,
): IssueTarget | TrackerError {
  const refText = `${ref.project}#${ref.key}`;
  if (ref.source !== 'GITHUB') {
    return errors.create(
      'invalid_reference',
      `Issue ${refText} is a ${ref.source} issue, not a GitHub one: it was routed to the wrong adapter`,
    );
  }

  const [owner, name, ...rest] = ref.project.split('/');
  if (
    owner === undefined ||
    name === undefined ||
    rest.length > 0 ||
    !OWNER_PATTERN.test(owner) ||
    !NAME_PATTERN.test(name) ||
    name === '.' ||
    name === '..'
  ) {
    return errors.create(
      'invalid_reference',
      `GitHub project "${ref.project}" is not an owner/repository pair such as octocat/hello-world`,
    );
  }
  if (!/^[1-9][0-9]*$/.test(ref.key) || Number(ref.key) > MAX_ISSUE_NUMBER) {
    return errors.create(
      'invalid_reference',
      `GitHub issue number "${ref.key}" of ${ref.project} is not a positive integer up to ${MAX_ISSUE_NUMBER}`,
    );
  }

  const project = `${owner}/${name}`.toLowerCase();

  return {
    owner,
    name,
    number: Number(ref.key),
    project,
    issueKey: `${project}#${ref.key}`,
  };
}
