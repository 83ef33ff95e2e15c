import {
  formatValue,
  fail,
  isRecord,
  readOneOf,
  readString,
  rejectUnknownKeys,
  requireString,
} from './input-checks';
import { parseSimFault } from './parse-fault';
import {
  GITHUB_STATE_REASONS,
  JIRA_STATUS_CATEGORIES,
  SIM_SOURCES,
  type SimIssue,
  type SimLaunchpadTask,
  type SimSource,
} from './types';

/** Task statuses of Launchpad's devel web service. */
export const LAUNCHPAD_TASK_STATUSES = [
  'New',
  'Incomplete',
  'Opinion',
  'Invalid',
  "Won't Fix",
  'Expired',
  'Confirmed',
  'Triaged',
  'In Progress',
  'Deferred',
  'Fix Committed',
  'Fix Released',
  'Does Not Exist',
  'Unknown',
] as const;

export const LAUNCHPAD_IMPORTANCES = [
  'Unknown',
  'Undecided',
  'Critical',
  'High',
  'Medium',
  'Low',
  'Wishlist',
] as const;

const COMMON_KEYS = [
  'source',
  'project',
  'key',
  'title',
  'status',
  'labels',
  'fault',
];
const KEYS_BY_SOURCE: Record<SimSource, string[]> = {
  github: [...COMMON_KEYS, 'stateReason', 'isPullRequest', 'transferredTo'],
  jira: [...COMMON_KEYS, 'statusCategory', 'resolution', 'movedTo'],
  launchpad: [...COMMON_KEYS, 'target', 'tasks', 'private'],
};
const GITHUB_REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const GITHUB_ISSUE_ADDRESS =
  /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)#([1-9][0-9]*)$/;
const JIRA_PROJECT = /^[A-Za-z][A-Za-z0-9_]*$/;
const JIRA_ISSUE_KEY = /^([A-Za-z][A-Za-z0-9_]*)-([1-9][0-9]*)$/;
const DECIMAL_KEY = /^[1-9][0-9]*$/;

function readKey(value: Record<string, unknown>, where: string): string {
  const raw = value.key;
  const key = typeof raw === 'number' ? String(raw) : raw;
  if (typeof key !== 'string' || !DECIMAL_KEY.test(key)) {
    fail(
      where,
      `key is ${formatValue(raw)}; expected a decimal number without leading zeros, such as "12"`,
    );
  }

  return key;
}

function readLabels(value: Record<string, unknown>, where: string): string[] {
  const raw = value.labels;
  if (raw === undefined) {
    return [];
  }
  if (!Array.isArray(raw) || raw.some((label) => typeof label !== 'string')) {
    fail(where, `labels is ${formatValue(raw)}; expected an array of strings`);
  }

  return raw as string[];
}

function parseGitHubFields(
  raw: Record<string, unknown>,
  issue: SimIssue,
  where: string,
): void {
  const isPullRequest = raw.isPullRequest;
  if (isPullRequest !== undefined && typeof isPullRequest !== 'boolean') {
    fail(
      where,
      `isPullRequest is ${formatValue(isPullRequest)}; expected true or false`,
    );
  }
  const states = isPullRequest
    ? ['OPEN', 'CLOSED', 'MERGED']
    : ['OPEN', 'CLOSED'];
  const status = readOneOf(raw.status ?? 'OPEN', states, 'status', where, {
    ignoreCase: true,
  });
  issue.status = status;
  if (isPullRequest) {
    issue.isPullRequest = true;
  }

  if (raw.stateReason !== undefined && raw.stateReason !== null) {
    if (isPullRequest) {
      fail(
        where,
        'stateReason is set on a pull request; pull requests have no state reason',
      );
    }
    const reason = readOneOf(
      raw.stateReason,
      GITHUB_STATE_REASONS,
      'stateReason',
      where,
      {
        ignoreCase: true,
      },
    );
    // GitHub pairs REOPENED with OPEN and every other reason with CLOSED.
    const expectedState = reason === 'REOPENED' ? 'OPEN' : 'CLOSED';
    if (status !== expectedState) {
      fail(
        where,
        `stateReason ${reason} needs status ${expectedState}, but status is ${status}`,
      );
    }
    issue.stateReason = reason;
  }

  const transferredTo = readString(raw, 'transferredTo', where);
  if (transferredTo !== undefined) {
    if (!GITHUB_ISSUE_ADDRESS.test(transferredTo)) {
      fail(
        where,
        `transferredTo is "${transferredTo}"; expected "owner/repo#N"`,
      );
    }
    issue.transferredTo = transferredTo;
  }
}

function parseJiraFields(
  raw: Record<string, unknown>,
  issue: SimIssue,
  where: string,
): void {
  issue.status = requireString(raw, 'status', where);
  if (raw.statusCategory !== undefined) {
    issue.statusCategory = readOneOf(
      raw.statusCategory,
      JIRA_STATUS_CATEGORIES,
      'statusCategory',
      where,
      { ignoreCase: true },
    );
  }
  if (raw.resolution !== undefined) {
    if (raw.resolution !== null && typeof raw.resolution !== 'string') {
      fail(
        where,
        `resolution is ${formatValue(raw.resolution)}; expected a string or null`,
      );
    }
    issue.resolution = raw.resolution;
  }
  const movedTo = readString(raw, 'movedTo', where);
  if (movedTo !== undefined) {
    if (!JIRA_ISSUE_KEY.test(movedTo)) {
      fail(
        where,
        `movedTo is "${movedTo}"; expected an issue key such as "PLATFORM-45"`,
      );
    }
    issue.movedTo = movedTo.toUpperCase();
  }
}

function parseTask(raw: unknown, where: string): SimLaunchpadTask {
  if (!isRecord(raw)) {
    fail(
      where,
      `task is ${formatValue(raw)}; expected an object with target and status`,
    );
  }
  rejectUnknownKeys(raw, ['target', 'status', 'importance'], where);
  const task: SimLaunchpadTask = {
    target: requireString(raw, 'target', where),
    status: readOneOf(raw.status, LAUNCHPAD_TASK_STATUSES, 'status', where, {
      ignoreCase: true,
    }),
  };
  if (raw.importance !== undefined) {
    task.importance = readOneOf(
      raw.importance,
      LAUNCHPAD_IMPORTANCES,
      'importance',
      where,
      {
        ignoreCase: true,
      },
    );
  }

  return task;
}

function parseLaunchpadFields(
  raw: Record<string, unknown>,
  issue: SimIssue,
  where: string,
): void {
  if (raw.private !== undefined) {
    if (typeof raw.private !== 'boolean') {
      fail(
        where,
        `private is ${formatValue(raw.private)}; expected true or false`,
      );
    }
    issue.private = raw.private;
  }

  if (raw.tasks !== undefined) {
    if (raw.status !== undefined || raw.target !== undefined) {
      fail(
        where,
        'tasks is set together with status or target; give each task its own target and status',
      );
    }
    if (!Array.isArray(raw.tasks) || raw.tasks.length === 0) {
      fail(
        where,
        `tasks is ${formatValue(raw.tasks)}; expected a non-empty array of tasks`,
      );
    }
    issue.tasks = raw.tasks.map((task, index) =>
      parseTask(task, `${where}.tasks[${index}]`),
    );

    return;
  }

  issue.status = readOneOf(
    raw.status,
    LAUNCHPAD_TASK_STATUSES,
    'status',
    where,
    {
      ignoreCase: true,
    },
  );
  const target = readString(raw, 'target', where);
  if (target !== undefined && target.trim() !== '') {
    issue.target = target.trim();
  }
}

/** The fields that name one issue. */
export interface SimIssueRef {
  source: SimSource;
  project: string;
  key: string;
}

function normalizeProject(
  source: SimSource,
  project: string,
  where: string,
): string {
  if (source === 'github') {
    if (!GITHUB_REPO.test(project)) {
      fail(where, `project is "${project}"; expected a GitHub "owner/repo"`);
    }

    return project;
  }
  if (source === 'jira') {
    if (!JIRA_PROJECT.test(project)) {
      fail(
        where,
        `project is "${project}"; expected a Jira project key such as "DEMO"`,
      );
    }

    return project.toUpperCase();
  }

  return project.toLowerCase();
}

/**
 * Validates the source, project and key of an issue: an `owner/repo` for
 * GitHub, a project key for Jira, and a decimal key for all three.
 */
export function parseSimIssueRef(raw: unknown, where: string): SimIssueRef {
  if (!isRecord(raw)) {
    fail(where, `issue is ${formatValue(raw)}; expected an object`);
  }
  const source = readOneOf(raw.source, SIM_SOURCES, 'source', where, {
    ignoreCase: true,
  });

  return {
    source,
    project: normalizeProject(
      source,
      requireString(raw, 'project', where),
      where,
    ),
    key: readKey(raw, where),
  };
}

/**
 * Validates one issue in the data file's shape and returns it normalised:
 * lower-case sources, upper-case Jira keys, lower-case Launchpad projects and
 * GitHub states in upper case. Throws SimInputError naming the field.
 */
export function parseSimIssue(raw: unknown, where: string): SimIssue {
  const ref = parseSimIssueRef(raw, where);
  const fields = raw as Record<string, unknown>;
  rejectUnknownKeys(fields, KEYS_BY_SOURCE[ref.source], where);

  const issue: SimIssue = {
    ...ref,
    title: readString(fields, 'title', where) ?? '',
    labels: readLabels(fields, where),
  };
  if (ref.source === 'github') {
    parseGitHubFields(fields, issue, where);
  } else if (ref.source === 'jira') {
    parseJiraFields(fields, issue, where);
  } else {
    parseLaunchpadFields(fields, issue, where);
  }
  if (fields.fault !== undefined && fields.fault !== null) {
    issue.fault = parseSimFault(fields.fault, `${where}.fault`);
  }

  return issue;
}

/** Validates an array of issues; `where` names the array in messages. */
export function parseSimIssues(raw: unknown, where: string): SimIssue[] {
  if (!Array.isArray(raw)) {
    fail(where, `expected an array of issues, got ${formatValue(raw)}`);
  }

  return raw.map((issue, index) => parseSimIssue(issue, `${where}[${index}]`));
}

/** Validates a data file's parsed JSON, `{"issues": [...]}`. */
export function parseDataFile(raw: unknown, where: string): SimIssue[] {
  if (!isRecord(raw) || !('issues' in raw)) {
    fail(where, 'expected a JSON object with an "issues" array');
  }

  return parseSimIssues(raw.issues, `${where} issues`);
}
