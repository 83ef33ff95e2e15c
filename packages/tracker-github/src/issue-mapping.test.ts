import { FakeGithub } from './testing/fake-github';
import {
  TEST_TOKEN,
  createHarness,
  githubRef,
  issueFromFixture,
  type AdapterHarness,
} from './testing/harness';

describe('GithubAdapter.fetchIssue', () => {
  let github: FakeGithub;
  let harness: AdapterHarness;

  beforeAll(async () => {
    github = await FakeGithub.start(TEST_TOKEN, [
      issueFromFixture(
        'graphql-issue-open',
        ['data', 'repository', 'issue'],
        'owner/repo',
        123,
      ),
      issueFromFixture(
        'graphql-issue-closed-not-planned',
        ['data', 'repository', 'issue'],
        'owner/repo',
        124,
      ),
      issueFromFixture(
        'graphql-batch-issues-mixed',
        ['data', 'repository', 'i1'],
        'owner/repo',
        1,
      ),
      issueFromFixture(
        'graphql-batch-issues-mixed',
        ['data', 'repository', 'i2'],
        'owner/repo',
        2,
      ),
      issueFromFixture(
        'graphql-batch-issues-mixed',
        ['data', 'repository', 'i3'],
        'owner/repo',
        3,
      ),
      issueFromFixture(
        'graphql-issueorpullrequest-is-pr',
        ['data', 'repository', 'issueOrPullRequest'],
        'owner/repo',
        125,
      ),
      {
        project: 'owner/repo',
        number: 126,
        typename: 'PullRequest',
        title: 'Open pull request',
        state: 'OPEN',
        labels: ['ci'],
      },
      {
        project: 'owner/repo',
        number: 127,
        typename: 'PullRequest',
        title: 'Closed pull request',
        state: 'CLOSED',
      },
    ]);
  });

  beforeEach(() => {
    harness = createHarness(github.apiUrl);
  });

  afterEach(async () => {
    await harness.adapter.close();
  });

  afterAll(async () => {
    await github.close();
  });

  describe('when the issue is open', () => {
    it('returns OPEN with the state as tracker status', async () => {
      const snapshot = await harness.adapter.fetchIssue(
        githubRef('owner/repo', 123),
      );

      expect(snapshot).toEqual({
        title: 'Example issue title',
        status: 'OPEN',
        trackerStatus: 'OPEN',
        labels: ['bug', 'help wanted'],
      });
    });
  });

  describe('when the issue has a state reason', () => {
    it.each([
      [124, 'Example issue title', 'CLOSED', 'NOT_PLANNED', ['wontfix']],
      [1, 'Closed as completed', 'CLOSED', 'COMPLETED', ['bug']],
      [2, 'Closed as duplicate', 'CLOSED', 'DUPLICATE', []],
      [3, 'Reopened issue', 'OPEN', 'REOPENED', ['enhancement']],
    ])(
      'maps issue %i to its state reason',
      async (number, title, status, reason, labels) => {
        const snapshot = await harness.adapter.fetchIssue(
          githubRef('owner/repo', number),
        );

        expect(snapshot).toEqual({
          title,
          status,
          trackerStatus: reason,
          labels,
        });
      },
    );
  });

  describe('when the number belongs to a pull request', () => {
    it('maps a merged pull request to CLOSED with tracker status MERGED', async () => {
      const snapshot = await harness.adapter.fetchIssue(
        githubRef('owner/repo', 125),
      );

      expect(snapshot).toEqual({
        title: 'Example pull request',
        status: 'CLOSED',
        trackerStatus: 'MERGED',
        labels: [],
      });
    });

    it('maps open and closed pull requests to OPEN and CLOSED', async () => {
      const [open, closed] = await Promise.all([
        harness.adapter.fetchIssue(githubRef('owner/repo', 126)),
        harness.adapter.fetchIssue(githubRef('owner/repo', 127)),
      ]);

      expect(open).toEqual({
        title: 'Open pull request',
        status: 'OPEN',
        trackerStatus: 'OPEN',
        labels: ['ci'],
      });
      expect(closed).toEqual({
        title: 'Closed pull request',
        status: 'CLOSED',
        trackerStatus: 'CLOSED',
        labels: [],
      });
    });
  });

  describe('when the project is written in another case', () => {
    it('finds the issue, as GitHub names are case-insensitive', async () => {
      const snapshot = await harness.adapter.fetchIssue(
        githubRef('Owner/Repo', 123),
      );

      expect(snapshot.title).toBe('Example issue title');
    });
  });

  it('sends the token, the User-Agent and JSON to the GraphQL endpoint', async () => {
    await harness.adapter.fetchIssue(githubRef('owner/repo', 123));
    const request = github.graphqlRequests.at(-1);

    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/github/graphql');
    expect(request?.headers.authorization).toBe(`bearer ${TEST_TOKEN}`);
    expect(request?.headers['user-agent']).toBe('issue-sync-tests/1.0');
    expect(request?.headers['content-type']).toMatch(/^application\/json/);
  });
});
