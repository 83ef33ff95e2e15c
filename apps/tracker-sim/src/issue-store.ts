import type {
  GitHubStateReason,
  JiraStatusCategory,
  SimIssue,
  SimSource,
} from './types';

export interface GitHubRecord {
  id: string;
  nameWithOwner: string;
  repoKey: string;
  number: number;
  title: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  stateReason: GitHubStateReason | null;
  isPullRequest: boolean;
  labels: string[];
  transferredTo?: { repoKey: string; nameWithOwner: string; number: number };
}

export interface GitHubRepo {
  key: string;
  nameWithOwner: string;
  databaseId: number;
  issues: Map<number, GitHubRecord>;
}

export interface JiraRecord {
  id: string;
  issueKey: string;
  project: string;
  number: number;
  numericId: string;
  title: string;
  statusName: string;
  statusCategory: JiraStatusCategory;
  resolution: string | null;
  labels: string[];
  movedTo?: string;
}

export interface LaunchpadTaskRecord {
  target: string;
  status: string;
  importance: string;
}

export interface LaunchpadRecord {
  id: string;
  bugId: number;
  project: string;
  title: string;
  labels: string[];
  isPrivate: boolean;
  tasks: LaunchpadTaskRecord[];
}

const JIRA_FIRST_ID = 10001;
const MAX_REPO_ID = 0x7fffffff;

/** Returns the id the simulator gives an issue in logs and fault lookups. */
export function toIssueId(
  source: SimSource,
  project: string,
  key: string,
): string {
  if (source === 'github') {
    return `github:${project.toLowerCase()}#${key}`;
  }
  if (source === 'jira') {
    return `jira:${project.toUpperCase()}-${key}`;
  }

  // Launchpad bug numbers are global; the project only names the first task.
  return `launchpad:${key}`;
}

function splitJiraKey(issueKey: string): { project: string; number: number } {
  const dash = issueKey.lastIndexOf('-');

  return {
    project: issueKey.slice(0, dash),
    number: Number(issueKey.slice(dash + 1)),
  };
}

/** Infers a category from common workflow status names. */
function inferStatusCategory(statusName: string): JiraStatusCategory {
  const name = statusName.trim().toLowerCase();
  if (
    ['to do', 'open', 'new', 'backlog', 'selected for development'].includes(
      name,
    )
  ) {
    return 'new';
  }
  if (['done', 'closed', 'resolved', "won't do", 'cancelled'].includes(name)) {
    return 'done';
  }

  return 'indeterminate';
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }

  return hash;
}

/**
 * The simulator's issues, indexed by tracker, project and key so that lookups
 * stay constant-time with hundreds of thousands of issues.
 */
export class IssueStore {
  private readonly repos = new Map<string, GitHubRepo>();
  private readonly reposById = new Map<number, GitHubRepo>();
  private readonly jiraByKey = new Map<string, JiraRecord>();
  private readonly jiraMovedKeys = new Map<string, string>();
  private readonly jiraById = new Map<string, JiraRecord>();
  private readonly launchpadBugs = new Map<number, LaunchpadRecord>();
  private nextJiraId = JIRA_FIRST_ID;

  /** Inserts issues, replacing any stored issue with the same reference. */
  upsert(issues: readonly SimIssue[]): void {
    for (const issue of issues) {
      if (issue.source === 'github') {
        this.upsertGitHub(issue);
      } else if (issue.source === 'jira') {
        this.upsertJira(issue);
      } else {
        this.upsertLaunchpad(issue);
      }
    }
  }

  /** Number of stored issues of every tracker. */
  count(): number {
    let github = 0;
    for (const repo of this.repos.values()) {
      github += repo.issues.size;
    }

    return github + this.jiraByKey.size + this.launchpadBugs.size;
  }

  githubRepo(owner: string, name: string): GitHubRepo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  githubRepoById(databaseId: number): GitHubRepo | undefined {
    return this.reposById.get(databaseId);
  }

  /** Finds a Jira issue by key, by a key it was moved from, or by numeric id. */
  jiraIssue(keyOrId: string): JiraRecord | undefined {
    const upper = keyOrId.toUpperCase();
    const direct = this.jiraByKey.get(upper) ?? this.jiraById.get(upper);
    if (direct !== undefined) {
      return direct;
    }
    const oldKey = this.jiraMovedKeys.get(upper);

    return oldKey === undefined ? undefined : this.jiraByKey.get(oldKey);
  }

  launchpadBug(bugId: number): LaunchpadRecord | undefined {
    return this.launchpadBugs.get(bugId);
  }

  private repoFor(nameWithOwner: string): GitHubRepo {
    const key = nameWithOwner.toLowerCase();
    const existing = this.repos.get(key);
    if (existing !== undefined) {
      return existing;
    }

    // A hash keeps repository ids stable whatever order issues arrive in.
    let databaseId = (fnv1a(key) % MAX_REPO_ID) + 1;
    while (this.reposById.has(databaseId)) {
      databaseId = (databaseId % MAX_REPO_ID) + 1;
    }
    const repo: GitHubRepo = {
      key,
      nameWithOwner,
      databaseId,
      issues: new Map(),
    };
    this.repos.set(key, repo);
    this.reposById.set(databaseId, repo);

    return repo;
  }

  private upsertGitHub(issue: SimIssue): void {
    const repo = this.repoFor(issue.project);
    const number = Number(issue.key);
    const record: GitHubRecord = {
      id: toIssueId('github', issue.project, issue.key),
      nameWithOwner: repo.nameWithOwner,
      repoKey: repo.key,
      number,
      title: issue.title ?? '',
      state: (issue.status ?? 'OPEN') as GitHubRecord['state'],
      stateReason: issue.stateReason ?? null,
      isPullRequest: issue.isPullRequest === true,
      labels: issue.labels ?? [],
    };
    if (issue.transferredTo !== undefined) {
      const hash = issue.transferredTo.lastIndexOf('#');
      // The target repository must exist for the REST redirect to name its id.
      const target = this.repoFor(issue.transferredTo.slice(0, hash));
      record.transferredTo = {
        repoKey: target.key,
        nameWithOwner: target.nameWithOwner,
        number: Number(issue.transferredTo.slice(hash + 1)),
      };
    }
    repo.issues.set(number, record);
  }

  private upsertJira(issue: SimIssue): void {
    const issueKey = `${issue.project.toUpperCase()}-${issue.key}`;
    const previous = this.jiraByKey.get(issueKey);
    if (previous?.movedTo !== undefined) {
      this.jiraMovedKeys.delete(previous.movedTo);
    }
    const statusName = issue.status ?? 'To Do';
    const statusCategory =
      issue.statusCategory ?? inferStatusCategory(statusName);
    const numericId = previous?.numericId ?? String(this.nextJiraId++);
    const { project, number } = splitJiraKey(issueKey);
    const record: JiraRecord = {
      id: toIssueId('jira', issue.project, issue.key),
      issueKey,
      project,
      number,
      numericId,
      title: issue.title ?? '',
      statusName,
      statusCategory,
      resolution:
        issue.resolution !== undefined
          ? issue.resolution
          : statusCategory === 'done'
            ? 'Done'
            : null,
      labels: issue.labels ?? [],
    };
    if (issue.movedTo !== undefined) {
      record.movedTo = issue.movedTo;
      this.jiraMovedKeys.set(issue.movedTo, issueKey);
    }
    this.jiraByKey.set(issueKey, record);
    this.jiraById.set(numericId, record);
  }

  private upsertLaunchpad(issue: SimIssue): void {
    const bugId = Number(issue.key);
    const tasks = issue.tasks ?? [
      { target: issue.target ?? issue.project, status: issue.status ?? 'New' },
    ];
    this.launchpadBugs.set(bugId, {
      id: toIssueId('launchpad', issue.project, issue.key),
      bugId,
      project: issue.project,
      title: issue.title ?? '',
      labels: issue.labels ?? [],
      isPrivate: issue.private === true,
      tasks: tasks.map((task) => ({
        target: task.target,
        status: task.status,
        importance: task.importance ?? 'Undecided',
      })),
    });
  }
}

/** Splits a Jira issue key into project and number; undefined for other text. */
export function parseJiraKey(
  text: string,
): { project: string; number: number } | undefined {
  const match = /^([A-Za-z][A-Za-z0-9_]*)-([1-9][0-9]*)$/.exec(text);
  if (match === null) {
    return undefined;
  }

  return { project: match[1]!.toUpperCase(), number: Number(match[2]) };
}
