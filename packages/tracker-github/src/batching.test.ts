import { isTrackerError, type TrackerError } from '@issue-sync/tracker-core';

import {
  FakeGithub,
  replay,
  type FakeIssue,
  type RecordedRequest,
} from './testing/fake-github';
import { readFixture } from './testing/fixtures';
import {
  TEST_TOKEN,
  createHarness,
  githubRef,
  settle,
  type AdapterHarness,
} from './testing/harness';

function makeIssues(project: string, numbers: number[]): FakeIssue[] {
  return numbers.map((number) => ({
    project,
    number,
    title: `Issue ${number} of ${project}`,
    state: number % 2 === 0 ? 'CLOSED' : 'OPEN',
    stateReason: number % 2 === 0 ? 'COMPLETED' : null,
    labels: [`label-${number}`],
  }));
}

function issueNumbersIn(request: RecordedRequest): number[] {
  const variables = request.graphql?.variables ?? {};

  return Object.entries(variables)
    .filter(([name]) => /^i\d+$/.test(name))
    .map(([, value]) => value as number);
}

const range = (from: number, count: number) =>
  Array.from({ length: count }, (_, index) => from + index);

describe('GithubAdapter batching', () => {
  let github: FakeGithub;
  let harness: AdapterHarness;

  beforeEach(async () => {
    github = await FakeGithub.start(TEST_TOKEN, [
      ...makeIssues('alpha-org/alpha', range(1, 40)),
      ...makeIssues('beta-org/beta.js', range(1, 40)),
      ...makeIssues('gamma/gamma_repo', range(1, 20)),
    ]);
    harness = createHarness(github.apiUrl);
  });

  afterEach(async () => {
    await harness.adapter.close();
    await github.close();
  });

  describe('when 100 issues of three repositories are fetched at once', () => {
    it('sends exactly one HTTP request and maps every issue', async () => {
      const refs = [
        ...range(1, 40).map((n) => githubRef('alpha-org/alpha', n)),
        ...range(1, 40).map((n) => githubRef('beta-org/beta.js', n)),
        ...range(1, 20).map((n) => githubRef('gamma/gamma_repo', n)),
      ];

      const snapshots = await Promise.all(
        refs.map((ref) => harness.adapter.fetchIssue(ref)),
      );

      expect(github.requests).toHaveLength(1);
      expect(harness.batchSizes).toEqual([100]);
      expect(harness.requestEvents).toHaveLength(1);
      expect(harness.requestEvents[0]).toMatchObject({
        tracker: 'GITHUB',
        endpoint: 'graphql',
        httpStatus: 200,
      });
      expect(harness.requestEvents[0]?.errorKind).toBeUndefined();
      expect(snapshots[0]).toEqual({
        title: 'Issue 1 of alpha-org/alpha',
        status: 'OPEN',
        trackerStatus: 'OPEN',
        labels: ['label-1'],
      });
      expect(snapshots[41]).toEqual({
        title: 'Issue 2 of beta-org/beta.js',
        status: 'CLOSED',
        trackerStatus: 'COMPLETED',
        labels: ['label-2'],
      });
      expect(snapshots[99]).toEqual({
        title: 'Issue 20 of gamma/gamma_repo',
        status: 'CLOSED',
        trackerStatus: 'COMPLETED',
        labels: ['label-20'],
      });
    });

    it('passes every value as a variable and none in the document', async () => {
      await Promise.all([
        harness.adapter.fetchIssue(githubRef('alpha-org/alpha', 17)),
        harness.adapter.fetchIssue(githubRef('beta-org/beta.js', 33)),
        harness.adapter.fetchIssue(githubRef('alpha-org/alpha', 29)),
      ]);
      const body = github.graphqlRequests[0]?.graphql;

      expect(body?.variables).toEqual({
        o0: 'alpha-org',
        n0: 'alpha',
        i0: 17,
        o1: 'beta-org',
        n1: 'beta.js',
        i1: 33,
        i2: 29,
      });
      for (const value of [
        'alpha-org',
        'alpha',
        'beta-org',
        'beta.js',
        '17',
        '33',
        '29',
      ]) {
        expect(body?.query).not.toContain(value);
      }
      expect(body?.query).toContain('r0: repository(owner: $o0, name: $n0)');
      expect(body?.query).toContain('r1: repository(owner: $o1, name: $n1)');
      expect(body?.query).toContain('i2: issueOrPullRequest(number: $i2)');
      expect(body?.query).toContain('stateReason(enableDuplicate: true)');
    });
  });

  describe('when batchSize is smaller than the calls waiting', () => {
    it('splits the calls into batches of at most batchSize', async () => {
      await harness.adapter.close();
      harness = createHarness(github.apiUrl, { batchSize: 2 });

      await Promise.all(
        range(1, 5).map((n) =>
          harness.adapter.fetchIssue(githubRef('alpha-org/alpha', n)),
        ),
      );

      expect(harness.batchSizes).toEqual([2, 2, 1]);
      expect(github.graphqlRequests.map(issueNumbersIn)).toEqual([
        [1, 2],
        [3, 4],
        [5],
      ]);
    });
  });

  describe('when the same issue is asked for twice in one batch', () => {
    it('asks GitHub once and resolves both calls', async () => {
      const [first, second] = await Promise.all([
        harness.adapter.fetchIssue(githubRef('alpha-org/alpha', 5)),
        harness.adapter.fetchIssue(githubRef('Alpha-Org/Alpha', 5)),
      ]);

      expect(
        issueNumbersIn(github.graphqlRequests[0] as RecordedRequest),
      ).toEqual([5]);
      expect(first).toEqual(second);
      expect(first).not.toBe(second);
    });
  });

  describe('when one issue of a batch is NOT_FOUND', () => {
    it('fails that issue alone and keeps the others', async () => {
      const results = await Promise.all(
        [3, 404, 4].map((n) =>
          settle(harness.adapter.fetchIssue(githubRef('alpha-org/alpha', n))),
        ),
      );

      expect(results[0]).toEqual({
        title: 'Issue 3 of alpha-org/alpha',
        status: 'OPEN',
        trackerStatus: 'OPEN',
        labels: ['label-3'],
      });
      expect(results[2]).toEqual({
        title: 'Issue 4 of alpha-org/alpha',
        status: 'CLOSED',
        trackerStatus: 'COMPLETED',
        labels: ['label-4'],
      });
      const error = results[1] as TrackerError;
      expect(isTrackerError(error)).toBe(true);
      expect(error.kind).toBe('not_found');
      expect(error.httpStatus).toBe(404);
      expect(error.message).toBe(
        `GitHub issue alpha-org/alpha#404 not found at ${github.apiUrl}: it was deleted, transferred to a repository the token cannot see, or the repository is private or was renamed; check the issue URL and that GITHUB_TOKEN can read the repository`,
      );
      expect(
        github.requests.map((request) => `${request.method} ${request.path}`),
      ).toEqual([
        'POST /github/graphql',
        'GET /github/repos/alpha-org/alpha/issues/404',
      ]);
    });
  });

  describe('when a repository of a batch is NOT_FOUND', () => {
    it('fails the issues of that repository alone, without a REST lookup', async () => {
      const results = await Promise.all([
        settle(harness.adapter.fetchIssue(githubRef('owner/no-such-repo', 1))),
        settle(harness.adapter.fetchIssue(githubRef('owner/no-such-repo', 2))),
        settle(harness.adapter.fetchIssue(githubRef('gamma/gamma_repo', 1))),
      ]);

      for (const result of results.slice(0, 2)) {
        expect((result as TrackerError).kind).toBe('not_found');
        expect((result as TrackerError).httpStatus).toBe(200);
      }
      expect((results[0] as TrackerError).message).toBe(
        `GitHub repository owner/no-such-repo was not found at ${github.apiUrl} (issue owner/no-such-repo#1): it does not exist, was deleted, or is private and GITHUB_TOKEN cannot read it; check the issue URL and the token's access`,
      );
      expect(results[2]).toEqual({
        title: 'Issue 1 of gamma/gamma_repo',
        status: 'OPEN',
        trackerStatus: 'OPEN',
        labels: ['label-1'],
      });
      expect(github.requests).toHaveLength(1);
    });
  });

  describe('when an issue has more labels than one page holds', () => {
    it('pages through the labels with after cursors', async () => {
      const labels = range(1, 250).map(
        (n) => `label-${String(n).padStart(3, '0')}`,
      );
      github.addIssues([
        {
          project: 'gamma/gamma_repo',
          number: 500,
          title: 'Many labels',
          state: 'OPEN',
          labels,
        },
      ]);

      const [many, few] = await Promise.all([
        harness.adapter.fetchIssue(githubRef('gamma/gamma_repo', 500)),
        harness.adapter.fetchIssue(githubRef('gamma/gamma_repo', 7)),
      ]);

      expect(many.labels).toEqual(labels);
      expect(few.labels).toEqual(['label-7']);
      const requests = github.graphqlRequests;
      expect(requests).toHaveLength(3);
      expect(requests[1]?.graphql?.variables).toEqual({
        o0: 'gamma',
        n0: 'gamma_repo',
        i0: 500,
        c0: Buffer.from('cursor:100').toString('base64'),
      });
      expect(requests[2]?.graphql?.variables.c0).toBe(
        Buffer.from('cursor:200').toString('base64'),
      );
    });
  });

  describe('when label pages never end', () => {
    it('fails the issue once a cursor repeats', async () => {
      const labels = range(1, 150).map((n) => `label-${n}`);
      github.addIssues([
        {
          project: 'gamma/gamma_repo',
          number: 600,
          title: 'Looping labels',
          state: 'OPEN',
          labels,
        },
      ]);
      github.intercept((request) => {
        const variables = request.graphql?.variables;
        if (variables?.c0 === undefined) {
          return undefined;
        }
        const page = {
          nodes: [{ name: 'again' }],
          pageInfo: { hasNextPage: true, endCursor: variables.c0 },
        };
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            data: { r0: { i0: { __typename: 'Issue', labels: page } } },
          }),
        };
      });

      const error = (await settle(
        harness.adapter.fetchIssue(githubRef('gamma/gamma_repo', 600)),
      )) as TrackerError;

      expect(error.kind).toBe('invalid_response');
      expect(error.message).toBe(
        `GitHub at ${github.apiUrl} sent label pages for gamma/gamma_repo#600 without end (a cursor repeated, or more than 50 pages)`,
      );
      expect(github.graphqlRequests).toHaveLength(2);
    });
  });

  describe('when the batch response is malformed', () => {
    it('falls back to one request per issue and resolves them all', async () => {
      const truncated = readFixture('graphql-batch-issues-mixed').body.slice(
        0,
        200,
      );
      github.intercept((request) =>
        issueNumbersIn(request).length > 1
          ? {
              status: 200,
              headers: { 'content-type': 'application/json; charset=utf-8' },
              body: truncated,
            }
          : undefined,
      );

      const snapshots = await Promise.all(
        [1, 2, 3].map((n) =>
          harness.adapter.fetchIssue(githubRef('beta-org/beta.js', n)),
        ),
      );

      expect(snapshots.map((snapshot) => snapshot.title)).toEqual([
        'Issue 1 of beta-org/beta.js',
        'Issue 2 of beta-org/beta.js',
        'Issue 3 of beta-org/beta.js',
      ]);
      expect(github.graphqlRequests.map(issueNumbersIn)).toEqual([
        [1, 2, 3],
        [1],
        [2],
        [3],
      ]);
      expect(harness.requestEvents[0]?.errorKind).toBe('invalid_response');
    });

    it('fails only the issue that stays broken', async () => {
      github.intercept((request) =>
        issueNumbersIn(request).includes(13)
          ? {
              status: 200,
              headers: { 'content-type': 'application/json' },
              body: '{"data": {"r0": ',
            }
          : undefined,
      );

      const results = await Promise.all(
        [12, 13, 14].map((n) =>
          settle(harness.adapter.fetchIssue(githubRef('alpha-org/alpha', n))),
        ),
      );

      expect((results[0] as { title: string }).title).toBe(
        'Issue 12 of alpha-org/alpha',
      );
      expect((results[2] as { title: string }).title).toBe(
        'Issue 14 of alpha-org/alpha',
      );
      const error = results[1] as TrackerError;
      expect(error.kind).toBe('invalid_response');
      expect(error.httpStatus).toBe(200);
      expect(error.message).toBe(
        `GitHub at ${github.apiUrl} sent malformed or truncated JSON (HTTP 200) for the GraphQL query`,
      );
    });
  });

  describe('when the batch fails with a 502 timeout', () => {
    it('falls back to one request per issue', async () => {
      github.intercept((request) =>
        issueNumbersIn(request).length > 1
          ? {
              status: 502,
              headers: { 'content-type': 'text/html' },
              body: '<html><body>Bad gateway</body></html>',
            }
          : undefined,
      );

      const snapshots = await Promise.all(
        [8, 9].map((n) =>
          harness.adapter.fetchIssue(githubRef('alpha-org/alpha', n)),
        ),
      );

      expect(snapshots.map((snapshot) => snapshot.labels)).toEqual([
        ['label-8'],
        ['label-9'],
      ]);
      expect(github.graphqlRequests).toHaveLength(3);
    });
  });

  describe('when the batch fails for a reason every issue shares', () => {
    it('fails all at once on 401', async () => {
      github.intercept(() => replay('graphql-401-bad-credentials'));

      const results = await Promise.all(
        range(1, 5).map((n) =>
          settle(harness.adapter.fetchIssue(githubRef('alpha-org/alpha', n))),
        ),
      );

      expect(results.map((result) => (result as TrackerError).kind)).toEqual(
        Array(5).fill('unauthorized'),
      );
      expect(github.requests).toHaveLength(1);
    });

    it('fails all at once on a rate limit', async () => {
      github.intercept(() => replay('graphql-rate-limit-exceeded'));

      const results = await Promise.all(
        range(1, 4).map((n) =>
          settle(harness.adapter.fetchIssue(githubRef('alpha-org/alpha', n))),
        ),
      );

      expect(results.map((result) => (result as TrackerError).kind)).toEqual(
        Array(4).fill('rate_limited'),
      );
      expect(github.requests).toHaveLength(1);
    });

    it('stops the one-by-one fallback after repeated outages', async () => {
      github.intercept(() => ({
        status: 503,
        headers: { 'content-type': 'application/json' },
        body: '{"message":"Service Unavailable"}',
      }));

      const results = await Promise.all(
        range(1, 20).map((n) =>
          settle(harness.adapter.fetchIssue(githubRef('alpha-org/alpha', n))),
        ),
      );

      expect(results.map((result) => (result as TrackerError).kind)).toEqual(
        Array(20).fill('unavailable'),
      );
      expect(
        results.every((result) => (result as TrackerError).httpStatus === 503),
      ).toBe(true);
      // One batch, a first wave of four, and at most three more started before the stop.
      expect(github.requests.length).toBeGreaterThanOrEqual(5);
      expect(github.requests.length).toBeLessThanOrEqual(8);
    });
  });
});
