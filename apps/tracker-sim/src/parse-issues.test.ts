import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadDataFile } from './data-file';
import { SimInputError } from './input-checks';
import { parseSimIssue } from './parse-issues';

describe('parseSimIssue', () => {
  it('normalises case of sources, states and Jira projects', () => {
    expect(
      parseSimIssue(
        {
          source: 'GitHub',
          project: 'Octo/Repo',
          key: 12,
          status: 'closed',
          stateReason: 'not_planned',
        },
        'issue',
      ),
    ).toEqual({
      source: 'github',
      project: 'Octo/Repo',
      key: '12',
      title: '',
      labels: [],
      status: 'CLOSED',
      stateReason: 'NOT_PLANNED',
    });
    expect(
      parseSimIssue(
        {
          source: 'jira',
          project: 'demo',
          key: '3',
          status: 'In Review',
          movedTo: 'new-4',
        },
        'issue',
      ),
    ).toMatchObject({ project: 'DEMO', movedTo: 'NEW-4' });
  });

  it('keeps Launchpad tasks and the private flag', () => {
    expect(
      parseSimIssue(
        {
          source: 'launchpad',
          project: 'Ubuntu',
          key: '7',
          title: 'Two tasks',
          private: true,
          tasks: [
            { target: 'ubuntu', status: 'fix released' },
            { target: 'linux (Ubuntu)', status: 'New', importance: 'high' },
          ],
        },
        'issue',
      ),
    ).toEqual({
      source: 'launchpad',
      project: 'ubuntu',
      key: '7',
      title: 'Two tasks',
      labels: [],
      private: true,
      tasks: [
        { target: 'ubuntu', status: 'Fix Released' },
        { target: 'linux (Ubuntu)', status: 'New', importance: 'High' },
      ],
    });
  });

  it.each([
    [
      { source: 'github', project: 'norepo', key: '1' },
      'issue: project is "norepo"; expected a GitHub "owner/repo"',
    ],
    [
      { source: 'github', project: 'a/b', key: '01' },
      'issue: key is "01"; expected a decimal number without leading zeros, such as "12"',
    ],
    [
      { source: 'github', project: 'a/b', key: '1', status: 'MERGED' },
      'issue: status is "MERGED"; expected one of OPEN, CLOSED',
    ],
    [
      {
        source: 'github',
        project: 'a/b',
        key: '1',
        status: 'OPEN',
        stateReason: 'COMPLETED',
      },
      'issue: stateReason COMPLETED needs status CLOSED, but status is OPEN',
    ],
    [
      { source: 'github', project: 'a/b', key: '1', transferredTo: 'c/d' },
      'issue: transferredTo is "c/d"; expected "owner/repo#N"',
    ],
    [
      { source: 'github', project: 'a/b', key: '1', stateReson: 'COMPLETED' },
      'issue: unknown field "stateReson"; expected one of source, project, key, title, status, labels, fault, stateReason, isPullRequest, transferredTo',
    ],
    [
      { source: 'jira', project: '1DEMO', key: '1', status: 'To Do' },
      'issue: project is "1DEMO"; expected a Jira project key such as "DEMO"',
    ],
    [
      { source: 'jira', project: 'DEMO', key: '1' },
      'issue: status is missing; expected a non-empty string',
    ],
    [
      {
        source: 'jira',
        project: 'DEMO',
        key: '1',
        status: 'x',
        statusCategory: 'closed',
      },
      'issue: statusCategory is "closed"; expected one of new, indeterminate, done',
    ],
    [
      { source: 'launchpad', project: 'ubuntu', key: '1', status: 'Closed' },
      'issue: status is "Closed"; expected one of New, Incomplete, Opinion, Invalid, Won\'t Fix, Expired, Confirmed, Triaged, In Progress, Deferred, Fix Committed, Fix Released, Does Not Exist, Unknown',
    ],
    [
      {
        source: 'launchpad',
        project: 'ubuntu',
        key: '1',
        status: 'New',
        tasks: [],
      },
      'issue: tasks is set together with status or target; give each task its own target and status',
    ],
    [
      {
        source: 'launchpad',
        project: 'ubuntu',
        key: '1',
        labels: 'bug',
        status: 'New',
      },
      'issue: labels is "bug"; expected an array of strings',
    ],
    [
      {
        source: 'jira',
        project: 'DEMO',
        key: '1',
        status: 'x',
        fault: { delayMs: -1 },
      },
      'issue.fault: delayMs is -1; expected a non-negative number',
    ],
  ])('rejects %j', (raw, message) => {
    expect(() => parseSimIssue(raw, 'issue')).toThrow(
      new SimInputError(message),
    );
  });
});

describe('loadDataFile', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tracker-sim-data-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the issues of a data file', () => {
    const path = join(dir, 'data.json');
    writeFileSync(
      path,
      JSON.stringify({
        issues: [
          {
            source: 'jira',
            project: 'DEMO',
            key: '12',
            title: 'Add export',
            status: 'In Review',
            statusCategory: 'indeterminate',
            labels: [],
          },
        ],
      }),
    );

    expect(loadDataFile(path)).toEqual([
      {
        source: 'jira',
        project: 'DEMO',
        key: '12',
        title: 'Add export',
        status: 'In Review',
        statusCategory: 'indeterminate',
        labels: [],
      },
    ]);
  });

  it('names a missing file', () => {
    const path = join(dir, 'missing.json');

    expect(() => loadDataFile(path)).toThrow(
      new SimInputError(
        `cannot read data file ${path} (ENOENT); check the --data path`,
      ),
    );
  });

  it('names the entry and field of a bad issue', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(
      path,
      JSON.stringify({
        issues: [{ source: 'jira', project: 'DEMO', key: 'x' }],
      }),
    );

    expect(() => loadDataFile(path)).toThrow(
      new SimInputError(
        `data file ${path} issues[0]: key is "x"; expected a decimal number without leading zeros, such as "12"`,
      ),
    );
  });

  it('rejects a file without an issues array', () => {
    const path = join(dir, 'empty.json');
    writeFileSync(path, '[]');

    expect(() => loadDataFile(path)).toThrow(
      new SimInputError(
        `data file ${path}: expected a JSON object with an "issues" array`,
      ),
    );
  });

  it('rejects a file that is not JSON', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{"issues": [');

    expect(() => loadDataFile(path)).toThrow(
      /^data file .* is not valid JSON \(.+\); expected \{"issues": \[\.\.\.\]\}$/,
    );
  });
});
