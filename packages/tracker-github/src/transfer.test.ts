import type { IssueSnapshot, TrackerError } from '@issue-sync/tracker-core';

import { FakeGithub } from './testing/fake-github';
import {
  TEST_TOKEN,
  createHarness,
  githubRef,
  settle,
  type AdapterHarness,
} from './testing/harness';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

describe('GithubAdapter transferred issues', () => {
  let github: FakeGithub;
  let harness: AdapterHarness;

  beforeEach(async () => {
    github = await FakeGithub.start(TEST_TOKEN, [
      {
        project: 'old-org/old-repo',
        number: 7,
        title: 'Before the transfer',
        state: 'OPEN',
      },
      {
        project: 'new-org/new-repo',
        number: 42,
        title: 'After the transfer',
        state: 'CLOSED',
        stateReason: 'COMPLETED',
        labels: ['moved'],
      },
    ]);
    github.transfers.set('old-org/old-repo#7', 'new-org/new-repo#42');
    harness = createHarness(github.apiUrl);
  });

  afterEach(async () => {
    await harness.adapter.close();
    await github.close();
  });

  describe('when REST answers 301 for an issue GraphQL did not find', () => {
    it('follows the redirect and returns the new issue with movedTo', async () => {
      const snapshot = await harness.adapter.fetchIssue(
        githubRef('old-org/old-repo', 7),
      );

      expect(snapshot).toEqual({
        title: 'After the transfer',
        status: 'CLOSED',
        trackerStatus: 'COMPLETED',
        labels: ['moved'],
        movedTo: { source: 'GITHUB', project: 'new-org/new-repo', key: '42' },
      });
      expect(
        github.requests.map((request) => `${request.method} ${request.path}`),
      ).toEqual([
        'POST /github/graphql',
        'GET /github/repos/old-org/old-repo/issues/7',
        'GET /github/repositories/1000/issues/42',
        'POST /github/graphql',
      ]);
      expect(github.requests[3]?.graphql?.variables).toEqual({
        o0: 'new-org',
        n0: 'new-repo',
        i0: 42,
      });
    });

    it('sends REST requests with the token, the API version and the User-Agent', async () => {
      await harness.adapter.fetchIssue(githubRef('old-org/old-repo', 7));
      const rest = github.requests[1];

      expect(rest?.headers.authorization).toBe(`Bearer ${TEST_TOKEN}`);
      expect(rest?.headers.accept).toBe('application/vnd.github+json');
      expect(rest?.headers['x-github-api-version']).toBe('2022-11-28');
      expect(rest?.headers['user-agent']).toBe('issue-sync-tests/1.0');
    });

    it('reports the REST requests to the observer', async () => {
      await harness.adapter.fetchIssue(githubRef('old-org/old-repo', 7));

      expect(
        harness.requestEvents.map((event) => [
          event.endpoint,
          event.httpStatus,
        ]),
      ).toEqual([
        ['graphql', 200],
        ['rest', 301],
        ['rest', 200],
        ['graphql', 200],
      ]);
    });

    it('logs the transfer at debug level with both issue keys', async () => {
      await harness.adapter.fetchIssue(githubRef('old-org/old-repo', 7));

      expect(harness.logs).toContainEqual({
        level: 'debug',
        message: 'github issue was transferred',
        meta: {
          tracker: 'GITHUB',
          issueKey: 'old-org/old-repo#7',
          movedTo: 'new-org/new-repo#42',
        },
      });
    });
  });

  describe('when the redirect points at another host', () => {
    it('does not follow it and never sends the token there', async () => {
      const elsewhere = await FakeGithub.start('another-token');
      github.intercept((request) =>
        request.method === 'GET'
          ? {
              status: 301,
              headers: {
                ...JSON_HEADERS,
                location: `${elsewhere.apiUrl}/repositories/1/issues/42`,
              },
              body: '{"message":"Moved Permanently"}',
            }
          : undefined,
      );

      const error = (await settle(
        harness.adapter.fetchIssue(githubRef('old-org/old-repo', 7)),
      )) as TrackerError;
      await elsewhere.close();

      expect(error.kind).toBe('not_found');
      expect(error.httpStatus).toBe(301);
      expect(error.message).toBe(
        `GitHub moved old-org/old-repo#7 to ${elsewhere.url}, another host than GITHUB_API_URL (${github.url}); issue-sync does not send the token there, so update the issue URL by hand`,
      );
      expect(elsewhere.requests).toHaveLength(0);
    });
  });

  describe('when REST answers 410 Gone', () => {
    it('reports the issue as deleted', async () => {
      github.intercept((request) =>
        request.method === 'GET'
          ? {
              status: 410,
              headers: JSON_HEADERS,
              body: '{"message":"This issue was deleted"}',
            }
          : undefined,
      );

      const error = (await settle(
        harness.adapter.fetchIssue(githubRef('old-org/old-repo', 7)),
      )) as TrackerError;

      expect(error.kind).toBe('not_found');
      expect(error.httpStatus).toBe(410);
      expect(error.message).toBe(
        `GitHub issue old-org/old-repo#7 not found at ${github.apiUrl}: GitHub reports that it was deleted; check the issue URL and that GITHUB_TOKEN can read the repository`,
      );
    });
  });

  describe('when REST fails while checking for a transfer', () => {
    it('returns the REST failure so the sync retries', async () => {
      github.intercept((request) =>
        request.method === 'GET'
          ? {
              status: 503,
              headers: JSON_HEADERS,
              body: '{"message":"Service Unavailable"}',
            }
          : undefined,
      );

      const error = (await settle(
        harness.adapter.fetchIssue(githubRef('old-org/old-repo', 7)),
      )) as TrackerError;

      expect(error.kind).toBe('unavailable');
      expect(error.httpStatus).toBe(503);
    });
  });

  describe('when REST serves the issue at its own address', () => {
    it('maps the REST issue body', async () => {
      github.transfers.clear();
      github.intercept((request) =>
        request.method === 'POST'
          ? {
              status: 200,
              headers: JSON_HEADERS,
              body: '{"data":{"r0":{"i0":null},"rateLimit":null},"errors":[{"type":"NOT_FOUND","path":["r0","i0"],"locations":[{"line":3,"column":5}],"message":"Could not resolve to an issue or pull request with the number of 7."}]}',
            }
          : undefined,
      );

      const snapshot = await harness.adapter.fetchIssue(
        githubRef('old-org/old-repo', 7),
      );

      expect(snapshot).toEqual<IssueSnapshot>({
        title: 'Before the transfer',
        status: 'OPEN',
        trackerStatus: 'OPEN',
        labels: [],
      });
    });
  });
});
