import type { SimIssue, SimLaunchpadTask } from './types';

/** Returns a seeded PRNG (mulberry32) yielding floats in [0, 1). */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GITHUB_REPOS = Array.from({ length: 10 }, (_, i) => `sim-org/repo-${i}`);
const JIRA_PROJECTS = ['SIM', 'OPS', 'WEB'];
const LAUNCHPAD_PROJECTS = ['ubuntu', 'sim-project', 'sim-tools'];
const UBUNTU_PACKAGES = [
  'linux',
  'linux-meta',
  'systemd',
  'openssh',
  'glibc',
  'python3.12',
];
const FIRST_BUG_ID = 3_000_001;

const JIRA_STATUSES: Array<[string, SimIssue['statusCategory']]> = [
  ['To Do', 'new'],
  ['Backlog', 'new'],
  ['In Progress', 'indeterminate'],
  ['In Review', 'indeterminate'],
  ['Done', 'done'],
  ["Won't Do", 'done'],
];
const LAUNCHPAD_STATUSES = [
  'New',
  'Confirmed',
  'Triaged',
  'In Progress',
  'Fix Committed',
  'Fix Released',
  'Invalid',
  "Won't Fix",
  'Incomplete',
];
const LABELS = [
  'bug',
  'regression',
  'ui',
  'performance',
  'docs',
  'security',
  'needs-triage',
  'good first issue',
];
const VERBS = [
  'Crash',
  'Hang',
  'Timeout',
  'Wrong output',
  'Memory leak',
  'Slow start',
];
const PLACES = [
  'settings',
  'login',
  'export',
  'sync',
  'the installer',
  'resume',
];
const CONTEXTS = [
  'on ARM',
  'after upgrade',
  'with large files',
  'on first run',
  'behind a proxy',
];

/**
 * Generates `count` issues spread evenly across the three trackers. The same
 * seed always gives the same issues: open and closed states with GitHub
 * state reasons, some pull requests, Jira statuses of all three categories,
 * and Launchpad bugs with project, source-package and two-task shapes.
 */
export function generateIssues(count: number, seed: number): SimIssue[] {
  const random = createRandom(seed);
  const pick = <T>(items: readonly T[]): T =>
    items[Math.floor(random() * items.length)]!;
  const nextGitHubNumber = new Map<string, number>();
  const nextJiraNumber = new Map<string, number>();
  let nextBugId = FIRST_BUG_ID;

  const labels = (): string[] => {
    const chosen: string[] = [];
    const labelCount = Math.floor(random() * 4);
    while (chosen.length < labelCount) {
      const label = pick(LABELS);
      if (!chosen.includes(label)) {
        chosen.push(label);
      }
    }

    return chosen;
  };
  const title = (): string =>
    `${pick(VERBS)} in ${pick(PLACES)} ${pick(CONTEXTS)}`;

  const issues: SimIssue[] = [];
  for (let i = 0; i < count; i += 1) {
    const tracker = i % 3;
    if (tracker === 0) {
      const project = pick(GITHUB_REPOS);
      const number = (nextGitHubNumber.get(project) ?? 0) + 1;
      nextGitHubNumber.set(project, number);
      issues.push(githubIssue(project, number, title(), labels(), random));
    } else if (tracker === 1) {
      const project = pick(JIRA_PROJECTS);
      const number = (nextJiraNumber.get(project) ?? 0) + 1;
      nextJiraNumber.set(project, number);
      const [status, statusCategory] = pick(JIRA_STATUSES);
      issues.push({
        source: 'jira',
        project,
        key: String(number),
        title: title(),
        status,
        statusCategory,
        labels: labels(),
      });
    } else {
      const project = pick(LAUNCHPAD_PROJECTS);
      issues.push({
        source: 'launchpad',
        project,
        key: String(nextBugId++),
        title: title(),
        labels: labels(),
        tasks: launchpadTasks(project, random, pick),
      });
    }
  }

  return issues;
}

function githubIssue(
  project: string,
  number: number,
  title: string,
  labels: string[],
  random: () => number,
): SimIssue {
  const issue: SimIssue = {
    source: 'github',
    project,
    key: String(number),
    title,
    labels,
  };
  const roll = random();
  if (roll < 0.05) {
    issue.isPullRequest = true;
    if (roll < 0.02) {
      issue.status = 'OPEN';
    } else if (roll < 0.04) {
      issue.status = 'MERGED';
    } else {
      issue.status = 'CLOSED';
    }
  } else if (roll < 0.55) {
    issue.status = 'OPEN';
    if (roll < 0.1) {
      issue.stateReason = 'REOPENED';
    }
  } else {
    issue.status = 'CLOSED';
    if (roll < 0.85) {
      issue.stateReason = 'COMPLETED';
    } else if (roll < 0.95) {
      issue.stateReason = 'NOT_PLANNED';
    } else {
      issue.stateReason = 'DUPLICATE';
    }
  }

  return issue;
}

function launchpadTasks(
  project: string,
  random: () => number,
  pick: <T>(items: readonly T[]) => T,
): SimLaunchpadTask[] {
  if (project !== 'ubuntu') {
    return [{ target: project, status: pick(LAUNCHPAD_STATUSES) }];
  }
  const roll = random();
  const packageTask = {
    target: `${pick(UBUNTU_PACKAGES)} (Ubuntu)`,
    status: pick(LAUNCHPAD_STATUSES),
  };
  if (roll < 0.5) {
    return [packageTask];
  }
  if (roll < 0.7) {
    return [
      { target: 'ubuntu', status: pick(LAUNCHPAD_STATUSES) },
      packageTask,
    ];
  }

  return [{ target: 'ubuntu', status: pick(LAUNCHPAD_STATUSES) }];
}
