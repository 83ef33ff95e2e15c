import type { IssueRef } from './issue-ref';

/**
 * Largest issue number accepted. GraphQL's `Int`, which GitHub uses for
 * issue numbers, is a signed 32-bit integer, and the same cap applies to
 * Jira and Launchpad numbers.
 */
export const MAX_ISSUE_NUMBER = 2_147_483_647;

/**
 * GitHub user and organisation names: 1 to 39 letters, digits and single
 * hyphens, neither first nor last.
 */
export const GITHUB_OWNER =
  /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

/** GitHub repository names: 1 to 100 letters, digits, `.`, `_` and `-`. */
export const GITHUB_REPOSITORY = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Jira project keys: an upper-case letter, then 1 to 9 upper-case letters,
 * digits or underscores. Atlassian documents 10 characters as the maximum
 * and allows underscores when an admin changes the default key format.
 */
export const JIRA_PROJECT_KEY = /^[A-Z][A-Z0-9_]{1,9}$/;

/**
 * Launchpad project, distribution and package names (Launchpad's
 * `valid_name`): a lower-case letter or digit, then at least one more of
 * lower-case letters, digits, `+`, `.` and `-`.
 */
// NOTE: Launchpad's rule sets no length limit, so 100 characters is our own cap.
export const LAUNCHPAD_NAME = /^[a-z0-9][a-z0-9+.-]{1,99}$/;

/** Issue numbers: 1 to 2147483647, digits only, no leading zeros. */
export const ISSUE_NUMBER = /^[1-9]\d{0,9}$/;

/** Shows part of an input in a reason: escaped and cut to `max` characters. */
export function quoteForMessage(text: string, max = 60): string {
  const named: Record<string, string> = {
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
  };
  const escaped = text
    .slice(0, max)
    .replace(/[\\"]|[^\x20-\x7e]/gu, (character) => {
      if (character === '\\' || character === '"') {
        return `\\${character}`;
      }
      const code = character.codePointAt(0) ?? 0;

      return named[character] ?? `\\u{${code.toString(16)}}`;
    });

  return `"${escaped}${text.length > max ? '…' : ''}"`;
}

/** Returns why `key` is not an issue number, or undefined when it is one. */
export function checkIssueNumber(key: string): string | undefined {
  if (!/^\d+$/.test(key)) {
    return `issue number ${quoteForMessage(key, 30)} is not a decimal number`;
  }
  if (key.length > 1 && key.startsWith('0')) {
    const trimmed = key.replace(/^0+/, '') || '0';
    return `issue number ${quoteForMessage(key, 30)} has leading zeros: write ${quoteForMessage(trimmed, 30)}`;
  }
  if (key === '0') {
    return 'issue number 0 does not exist: numbers start at 1';
  }
  if (key.length > 10 || Number(key) > MAX_ISSUE_NUMBER) {
    return `issue number ${quoteForMessage(key, 30)} is larger than ${MAX_ISSUE_NUMBER}`;
  }

  return undefined;
}

export function checkGithubProject(owner: string, repository: string) {
  if (!GITHUB_OWNER.test(owner)) {
    return `GitHub owner ${quoteForMessage(owner)} is invalid: use 1 to 39 letters, digits and single hyphens, not first or last`;
  }
  if (
    !GITHUB_REPOSITORY.test(repository) ||
    repository === '.' ||
    repository === '..'
  ) {
    return `GitHub repository ${quoteForMessage(repository)} is invalid: use 1 to 100 letters, digits, ".", "_" and "-"`;
  }

  return undefined;
}

export function checkJiraProject(project: string): string | undefined {
  if (!JIRA_PROJECT_KEY.test(project)) {
    return `Jira project key ${quoteForMessage(project)} is invalid: use a letter followed by 1 to 9 letters, digits or "_"`;
  }

  return undefined;
}

export function checkLaunchpadName(
  kind: 'project' | 'package',
  name: string,
): string | undefined {
  if (!LAUNCHPAD_NAME.test(name)) {
    return `Launchpad ${kind} ${quoteForMessage(name)} is invalid: use 2 to 100 lower-case letters, digits, "+", "." and "-", starting with a letter or digit`;
  }

  return undefined;
}

function checkProject(ref: IssueRef): string | undefined {
  switch (ref.source) {
    case 'GITHUB': {
      const parts = ref.project.split('/');
      if (parts.length !== 2) {
        return `GitHub project ${quoteForMessage(ref.project)} is invalid: use OWNER/REPO`;
      }
      if (ref.project !== ref.project.toLowerCase()) {
        return `GitHub project ${quoteForMessage(ref.project)} is not lower case`;
      }
      return checkGithubProject(parts[0] ?? '', parts[1] ?? '');
    }
    case 'JIRA':
      return checkJiraProject(ref.project);
    case 'LAUNCHPAD':
      return checkLaunchpadName('project', ref.project);
    default:
      return `issue source ${quoteForMessage(String(ref.source))} is unknown: use GITHUB, JIRA or LAUNCHPAD`;
  }
}

/**
 * Returns why `ref` cannot name an issue of its tracker, or undefined when
 * it can. A valid reference is normalised as parseIssueUrl returns it:
 * GitHub and Launchpad projects in lower case, Jira keys in upper case,
 * and issue numbers without leading zeros.
 */
export function checkIssueRef(ref: IssueRef): string | undefined {
  return checkProject(ref) ?? checkIssueNumber(ref.key);
}
