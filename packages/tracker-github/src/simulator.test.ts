import {
  startSimulator,
  type SimIssue,
  type Simulator,
} from '@issue-sync/tracker-sim';
import type { TrackerError } from '@issue-sync/tracker-core';

import {
  TEST_TOKEN,
  createHarness,
  githubRef,
  settle,
  type AdapterHarness,
} from './testing/harness';

const manyIssues: SimIssue[] = Array.from({ length: 100 }, (_, index) => ({
  source: 'github',
  project: `bulk-org/repo-${index % 4}`,
  key: String(index + 1),
  title: `Bulk issue ${index + 1}`,
  status: 'OPEN',
  labels: ['bulk'],
}));

describe('GithubAdapter against the tracker simulator', () => {
  let simulator: Simulator;
  let harness: AdapterHarness;

  beforeAll(async () => {
    simulator = await startSimulator({
      githubToken: TEST_TOKEN,
      issues: [
        {
          source: 'github',
          project: 'canonical/test_observer',
          key: '12',
          title: 'Open issue',
          status: 'OPEN',
          labels: ['bug', 'triaged'],
        },
        {
          source: 'github',
          project: 'canonical/test_observer',
          key: '13',
          title: 'Not planned',
          status: 'CLOSED',
          stateReason: 'NOT_PLANNED',
        },
        {
          source: 'github',
          project: 'canonical/test_observer',
          key: '14',
          title: 'Merged fix',
          status: 'MERGED',
          isPullRequest: true,
          labels: ['fix'],
        },
        {
          source: 'github',
          project: 'canonical/test_observer',
          key: '15',
          title: 'Moved away',
          status: 'OPEN',
          transferredTo: 'canonical/other#3',
        },
        {
          source: 'github',
          project: 'canonical/other',
          key: '3',
          title: 'Moved here',
          status: 'OPEN',
          labels: ['moved'],
        },
        {
          source: 'github',
          project: 'canonical/test_observer',
          key: '16',
          title: 'Cut answer',
          status: 'OPEN',
          fault: { body: 'truncated' },
        },
        {
          source: 'github',
          project: 'canonical/test_observer',
          key: '17',
          title: 'Malformed answer',
          status: 'OPEN',
          fault: { body: 'malformed' },
        },
        ...manyIssues,
      ],
    });
  });

  beforeEach(() => {
    simulator.reset();
    harness = createHarness(simulator.githubApiUrl);
  });

  afterEach(async () => {
    await harness.adapter.close();
  });

  afterAll(async () => {
    await simulator.close();
  });

  it('reads an open issue', async () => {
    await expect(
      harness.adapter.fetchIssue(githubRef('canonical/test_observer', 12)),
    ).resolves.toEqual({
      title: 'Open issue',
      status: 'OPEN',
      trackerStatus: 'OPEN',
      labels: ['bug', 'triaged'],
    });
  });

  it('reads a closed issue with its state reason', async () => {
    await expect(
      harness.adapter.fetchIssue(githubRef('canonical/test_observer', 13)),
    ).resolves.toEqual({
      title: 'Not planned',
      status: 'CLOSED',
      trackerStatus: 'NOT_PLANNED',
      labels: [],
    });
  });

  it('reads a merged pull request', async () => {
    await expect(
      harness.adapter.fetchIssue(githubRef('canonical/test_observer', 14)),
    ).resolves.toEqual({
      title: 'Merged fix',
      status: 'CLOSED',
      trackerStatus: 'MERGED',
      labels: ['fix'],
    });
  });

  it('follows a transferred issue to its new repository', async () => {
    await expect(
      harness.adapter.fetchIssue(githubRef('canonical/test_observer', 15)),
    ).resolves.toEqual({
      title: 'Moved here',
      status: 'OPEN',
      trackerStatus: 'OPEN',
      labels: ['moved'],
      movedTo: { source: 'GITHUB', project: 'canonical/other', key: '3' },
    });
  });

  it('reports a missing issue as not_found', async () => {
    const error = (await settle(
      harness.adapter.fetchIssue(githubRef('canonical/test_observer', 999)),
    )) as TrackerError;

    expect(error.kind).toBe('not_found');
    expect(error.httpStatus).toBe(404);
  });

  it('fetches 100 issues with one GraphQL request', async () => {
    const snapshots = await Promise.all(
      manyIssues.map((issue) =>
        harness.adapter.fetchIssue(githubRef(issue.project, issue.key)),
      ),
    );

    expect(snapshots.map((snapshot) => snapshot.title)).toEqual(
      manyIssues.map((issue) => issue.title),
    );
    expect(simulator.stats().github.requests).toBe(1);
    expect(simulator.stats().github.byEndpoint).toEqual({ 'POST /graphql': 1 });
  });

  it('keeps the neighbours of an issue whose answer is cut short', async () => {
    const results = await Promise.all(
      [12, 16, 13].map((n) =>
        settle(
          harness.adapter.fetchIssue(githubRef('canonical/test_observer', n)),
        ),
      ),
    );

    expect((results[0] as { title: string }).title).toBe('Open issue');
    expect((results[2] as { title: string }).title).toBe('Not planned');
    // The simulator cuts a truncated body short of its content-length.
    const error = results[1] as TrackerError;
    expect(error.kind).toBe('network');
    expect(error.httpStatus).toBe(200);
    expect(error.message).toBe(
      `GitHub at ${simulator.githubApiUrl} closed the connection before the response was complete (UND_ERR_SOCKET): check GITHUB_API_URL and the network`,
    );
  });

  it('fails an issue whose answer is malformed JSON alone', async () => {
    const results = await Promise.all(
      [12, 17].map((n) =>
        settle(
          harness.adapter.fetchIssue(githubRef('canonical/test_observer', n)),
        ),
      ),
    );

    expect((results[0] as { title: string }).title).toBe('Open issue');
    expect((results[1] as TrackerError).kind).toBe('invalid_response');
    expect((results[1] as TrackerError).message).toBe(
      `GitHub at ${simulator.githubApiUrl} sent malformed or truncated JSON (HTTP 200) for the GraphQL query`,
    );
  });

  it('reports a wrong token as unauthorized', async () => {
    await harness.adapter.close();
    harness = createHarness(simulator.githubApiUrl, { token: 'ghp_wrong' });

    const error = (await settle(
      harness.adapter.fetchIssue(githubRef('canonical/test_observer', 12)),
    )) as TrackerError;

    expect(error.kind).toBe('unauthorized');
    expect(error.httpStatus).toBe(401);
  });

  it('checks the credentials with viewer.login', async () => {
    const report = await harness.adapter.checkCredentials();

    expect(report.ok).toBe(true);
    expect(report.summary).toBe('token of tracker-sim, scopes: repo');
  });
});
