import { performance } from 'node:perf_hooks';

import { generateIssues } from './generate-issues';
import { parseSimIssues } from './parse-issues';
import { startSimulator } from './simulator';
import { postGraphql, send } from './testing/http-client';

describe('generateIssues', () => {
  it('returns the same issues for the same seed', () => {
    expect(generateIssues(500, 42)).toEqual(generateIssues(500, 42));
  });

  it('returns other issues for another seed', () => {
    expect(generateIssues(500, 42)).not.toEqual(generateIssues(500, 43));
  });

  it('spreads issues evenly across the three trackers', () => {
    const issues = generateIssues(300, 1);
    const counts = { github: 0, jira: 0, launchpad: 0 };
    for (const issue of issues) {
      counts[issue.source] += 1;
    }

    expect(counts).toEqual({ github: 100, jira: 100, launchpad: 100 });
  });

  it('mixes states, pull requests and Launchpad task shapes', () => {
    const issues = generateIssues(3000, 7);
    const github = issues.filter((issue) => issue.source === 'github');
    const jira = issues.filter((issue) => issue.source === 'jira');
    const launchpad = issues.filter((issue) => issue.source === 'launchpad');

    expect(new Set(github.map((issue) => issue.status))).toEqual(
      new Set(['OPEN', 'CLOSED', 'MERGED']),
    );
    expect(new Set(github.map((issue) => issue.stateReason ?? null))).toEqual(
      new Set([null, 'REOPENED', 'COMPLETED', 'NOT_PLANNED', 'DUPLICATE']),
    );
    expect(github.some((issue) => issue.isPullRequest)).toBe(true);
    expect(new Set(jira.map((issue) => issue.statusCategory))).toEqual(
      new Set(['new', 'indeterminate', 'done']),
    );
    expect(
      launchpad.some((issue) =>
        issue.tasks!.some((task) => task.target.endsWith(' (Ubuntu)')),
      ),
    ).toBe(true);
    expect(launchpad.some((issue) => issue.tasks!.length === 2)).toBe(true);
    expect(issues.some((issue) => (issue.labels ?? []).length > 0)).toBe(true);
  });

  it('gives every issue a unique reference', () => {
    const refs = generateIssues(3000, 7).map((issue) =>
      issue.source === 'launchpad'
        ? issue.key
        : `${issue.source}:${issue.project}:${issue.key}`,
    );

    expect(new Set(refs).size).toBe(3000);
  });

  it('generates issues that pass validation', () => {
    const issues = generateIssues(600, 3);

    expect(parseSimIssues(issues, 'generated')).toHaveLength(600);
  });
});

describe('startSimulator with generated issues', () => {
  it('lets data-file issues win over generated ones', async () => {
    const generated = generateIssues(3, 5);
    const jiraIssue = generated.find((issue) => issue.source === 'jira')!;
    const sim = await startSimulator({
      generate: { count: 3, seed: 5 },
      issues: [
        {
          ...jiraIssue,
          title: 'Replaced',
          status: 'Done',
          statusCategory: 'done',
        },
      ],
    });
    try {
      const key = `${jiraIssue.project}-${jiraIssue.key}`;
      const response = await send(
        `${sim.jiraBaseUrl}/rest/api/3/issue/${key}?fields=summary`,
      );

      expect(sim.issueCount()).toBe(3);
      expect(
        (response.json as { fields: { summary: string } }).fields.summary,
      ).toBe('Replaced');
    } finally {
      await sim.close();
    }
  });

  it('starts with 100,000 issues and serves a query', async () => {
    const started = performance.now();
    const sim = await startSimulator({
      generate: { count: 100_000, seed: 11 },
    });
    const startupMs = performance.now() - started;
    try {
      process.stdout.write(
        `tracker-sim start-up with 100,000 generated issues: ${startupMs.toFixed(0)} ms\n`,
      );
      const issues = generateIssues(100_000, 11);
      const last = issues
        .filter((issue) => issue.source === 'github' && !issue.isPullRequest)
        .at(-1)!;
      const [owner, name] = last.project.split('/');
      const response = await postGraphql(
        sim.githubApiUrl,
        'query($owner: String!, $name: String!, $number: Int!) { repository(owner: $owner, name: $name) { issue(number: $number) { title state } } }',
        { owner, name, number: Number(last.key) },
      );

      expect(sim.issueCount()).toBe(100_000);
      expect(response.json).toEqual({
        data: {
          repository: { issue: { title: last.title, state: last.status } },
        },
      });
    } finally {
      await sim.close();
    }
  });
});
