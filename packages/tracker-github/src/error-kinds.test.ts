import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { TrackerError } from '@issue-sync/tracker-core';

import { FakeGithub, replay, type FakeResponse } from './testing/fake-github';
import { readFixture } from './testing/fixtures';
import {
  TEST_TOKEN,
  createHarness,
  githubRef,
  settle,
  type AdapterHarness,
} from './testing/harness';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

async function findClosedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));

  return port;
}

describe('GithubAdapter errors', () => {
  let github: FakeGithub;
  let harnesses: AdapterHarness[];

  const harnessFor = (overrides: Parameters<typeof createHarness>[1] = {}) => {
    const harness = createHarness(overrides.apiUrl ?? github.apiUrl, overrides);
    harnesses.push(harness);
    return harness;
  };

  const fetchFailure = async (
    answer: FakeResponse | undefined,
    overrides: Parameters<typeof createHarness>[1] = {},
  ): Promise<TrackerError> => {
    github.intercept(answer === undefined ? undefined : () => answer);
    const result = await settle(
      harnessFor(overrides).adapter.fetchIssue(githubRef('owner/repo', 1)),
    );
    if (!(result instanceof Error)) {
      throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
    }
    return result as TrackerError;
  };

  beforeEach(async () => {
    harnesses = [];
    github = await FakeGithub.start(TEST_TOKEN, [
      { project: 'owner/repo', number: 1, title: 'One', state: 'OPEN' },
    ]);
  });

  afterEach(async () => {
    await Promise.all(harnesses.map((harness) => harness.adapter.close()));
    await github.close();
  });

  describe('when GITHUB_TOKEN is not set', () => {
    it('throws not_configured without sending a request', async () => {
      const error = await fetchFailure(undefined, { token: undefined });

      expect(error.kind).toBe('not_configured');
      expect(error.tracker).toBe('GITHUB');
      expect(error.message).toBe(
        'GITHUB_TOKEN is not set: create a token at https://github.com/settings/tokens (no scopes for public repositories, repo for private ones) and set GITHUB_TOKEN',
      );
      expect(github.requests).toHaveLength(0);
    });
  });

  describe('when the reference cannot be a GitHub issue', () => {
    it.each([
      [
        { source: 'GITHUB', project: 'no-slash', key: '1' },
        'GitHub project "no-slash" is not an owner/repository pair such as octocat/hello-world',
      ],
      [
        { source: 'GITHUB', project: 'owner/repo', key: '012' },
        'GitHub issue number "012" of owner/repo is not a positive integer up to 2147483647',
      ],
      [
        { source: 'GITHUB', project: 'owner/repo', key: '2147483648' },
        'GitHub issue number "2147483648" of owner/repo is not a positive integer up to 2147483647',
      ],
      [
        { source: 'GITHUB', project: 'own er/repo', key: '1' },
        'GitHub project "own er/repo" is not an owner/repository pair such as octocat/hello-world',
      ],
      [
        { source: 'JIRA', project: 'DEMO', key: '1' },
        'Issue DEMO#1 is a JIRA issue, not a GitHub one: it was routed to the wrong adapter',
      ],
    ] as const)('rejects %j as invalid_reference', async (ref, message) => {
      const result = await settle(harnessFor().adapter.fetchIssue(ref));

      expect((result as TrackerError).kind).toBe('invalid_reference');
      expect((result as TrackerError).message).toBe(message);
      expect(github.requests).toHaveLength(0);
    });
  });

  describe('when the network fails', () => {
    it('reports a refused connection as network', async () => {
      const apiUrl = `http://127.0.0.1:${await findClosedPort()}/github`;

      const error = await fetchFailure(undefined, { apiUrl });

      expect(error.kind).toBe('network');
      expect(error.httpStatus).toBeUndefined();
      expect(error.message).toBe(
        `GitHub at ${apiUrl} could not be reached (ECONNREFUSED): check GITHUB_API_URL and the network`,
      );
    });

    it('reports a response slower than timeoutMs as network', async () => {
      const error = await fetchFailure(
        { ...replay('graphql-query-ok'), delayMs: 1_000 },
        { timeoutMs: 200 },
      );

      expect(error.kind).toBe('network');
      expect(error.message).toBe(
        `GitHub at ${github.apiUrl} timed out after 200 ms: check the network, or raise TRACKER_TIMEOUT_MS`,
      );
    });

    it('reports a dropped connection as network', async () => {
      const error = await fetchFailure({ status: 200, destroy: true });

      expect(error.kind).toBe('network');
      expect(error.message).toBe(
        `GitHub at ${github.apiUrl} could not be reached (UND_ERR_SOCKET): check GITHUB_API_URL and the network`,
      );
    });
  });

  describe('when GitHub is failing', () => {
    it.each([500, 502, 503, 504])(
      'reports HTTP %i as unavailable',
      async (status) => {
        const error = await fetchFailure({
          status,
          headers: JSON_HEADERS,
          body: '{"message":"Server Error"}',
        });

        expect(error.kind).toBe('unavailable');
        expect(error.httpStatus).toBe(status);
        expect(error.message).toBe(
          `GitHub at ${github.apiUrl} is unavailable (HTTP ${status}): GitHub or a proxy in front of it may be down or overloaded`,
        );
      },
    );

    it('reports an HTML error page as unavailable', async () => {
      const error = await fetchFailure({
        status: 502,
        headers: { 'content-type': 'text/html' },
        body: '<!DOCTYPE html><html><body>Unicorn!</body></html>',
      });

      expect(error.kind).toBe('unavailable');
      expect(error.httpStatus).toBe(502);
      expect(error.message).toBe(
        `GitHub at ${github.apiUrl} is unavailable (HTTP 502, an HTML error page): GitHub or a proxy in front of it may be down or overloaded`,
      );
    });

    it('reports an HTML page sent with HTTP 200 as unavailable', async () => {
      const error = await fetchFailure({
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: '<html><body>Maintenance</body></html>',
      });

      expect(error.kind).toBe('unavailable');
      expect(error.httpStatus).toBe(200);
    });
  });

  describe('when GitHub rate-limits the token', () => {
    it('reads retryAfterMs from x-ratelimit-reset on the primary limit body', async () => {
      const resetSec = Math.ceil(Date.now() / 1000) + 120;
      const error = await fetchFailure(
        replay('graphql-rate-limit-exceeded', {
          headers: {
            ...JSON_HEADERS,
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(resetSec),
          },
        }),
      );

      expect(error.kind).toBe('rate_limited');
      expect(error.httpStatus).toBe(200);
      expect(error.retryAfterMs).toBeGreaterThan(118_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(121_000);
      expect(error.message).toMatch(
        new RegExp(
          `^GitHub rate limit exceeded at ${github.apiUrl} \\(API rate limit already exceeded for user ID xxxxx\\.\\): requests resume in 1[12]\\d s$`,
        ),
      );
    });

    it('treats the older RATE_LIMITED type the same way', async () => {
      const error = await fetchFailure({
        status: 200,
        headers: JSON_HEADERS,
        body: '{"errors":[{"type":"RATE_LIMITED","message":"API rate limit exceeded"}]}',
      });

      expect(error.kind).toBe('rate_limited');
      expect(error.retryAfterMs).toBe(60_000);
    });

    it('reads retryAfterMs from retry-after seconds on the secondary limit 403', async () => {
      const error = await fetchFailure(replay('secondary-rate-limit-403'));

      expect(error.kind).toBe('rate_limited');
      expect(error.httpStatus).toBe(403);
      expect(error.retryAfterMs).toBe(60_000);
      expect(error.message).toMatch(
        /^GitHub secondary rate limit exceeded at /,
      );
    });

    it('reads retryAfterMs from a retry-after HTTP date on a 429', async () => {
      const retryAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 45_000);
      const error = await fetchFailure({
        status: 429,
        headers: { ...JSON_HEADERS, 'retry-after': retryAt.toUTCString() },
        body: '{"message":"Too Many Requests"}',
      });

      expect(error.kind).toBe('rate_limited');
      expect(error.httpStatus).toBe(429);
      expect(error.retryAfterMs).toBeGreaterThan(43_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(46_000);
    });

    it('reads retryAfterMs from x-ratelimit-reset on a 403 with no remaining points', async () => {
      const resetSec = Math.ceil(Date.now() / 1000) + 300;
      const error = await fetchFailure({
        status: 403,
        headers: {
          ...JSON_HEADERS,
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(resetSec),
        },
        body: '{"message":"API rate limit exceeded for user ID 1."}',
      });

      expect(error.kind).toBe('rate_limited');
      expect(error.retryAfterMs).toBeGreaterThan(298_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(301_000);
    });

    it('falls back to the resetAt of the last rateLimit object', async () => {
      const resetAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 600_000);
      github.rateLimit = {
        ...github.rateLimit,
        resetAt: resetAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      };
      const harness = harnessFor();
      await harness.adapter.fetchIssue(githubRef('owner/repo', 1));
      github.intercept(() => replay('graphql-rate-limit-exceeded'));

      const error = (await settle(
        harness.adapter.fetchIssue(githubRef('owner/repo', 1)),
      )) as TrackerError;

      expect(error.kind).toBe('rate_limited');
      expect(error.retryAfterMs).toBeGreaterThan(598_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(601_000);
    });

    it('waits 60 s when nothing says when the limit ends', async () => {
      const error = await fetchFailure({
        status: 429,
        headers: JSON_HEADERS,
        body: '{"message":"Too Many Requests"}',
      });

      expect(error.kind).toBe('rate_limited');
      expect(error.retryAfterMs).toBe(60_000);
    });
  });

  describe('when the token is rejected', () => {
    it('reports the recorded 401 as unauthorized', async () => {
      const error = await fetchFailure(replay('graphql-401-bad-credentials'));

      expect(error.kind).toBe('unauthorized');
      expect(error.httpStatus).toBe(401);
      expect(error.message).toBe(
        `401 Unauthorized from GitHub at ${github.apiUrl}: check GITHUB_TOKEN (it may be expired or revoked)`,
      );
    });

    it('reports a 403 without rate-limit signs as forbidden', async () => {
      const error = await fetchFailure({
        status: 403,
        headers: JSON_HEADERS,
        body: '{"message":"Although you appear to have the correct authorization credentials, the organization has an IP allow list enabled."}',
      });

      expect(error.kind).toBe('forbidden');
      expect(error.httpStatus).toBe(403);
      expect(error.message).toBe(
        `403 Forbidden from GitHub at ${github.apiUrl}: Although you appear to have the correct authorization credentials, the organization has an IP allow list enabled.; check that GITHUB_TOKEN may read the repository (SAML single sign-on, IP allow lists and fine-grained token permissions can block it)`,
      );
    });

    it('reports a FORBIDDEN error at an issue as forbidden for that issue', async () => {
      const error = await fetchFailure({
        status: 200,
        headers: JSON_HEADERS,
        body: '{"data":{"r0":null,"rateLimit":null},"errors":[{"type":"FORBIDDEN","path":["r0"],"locations":[{"line":2,"column":3}],"message":"Resource protected by organization SAML enforcement."}]}',
      });

      expect(error.kind).toBe('forbidden');
      expect(error.httpStatus).toBe(200);
    });
  });

  describe('when the answer cannot be read', () => {
    it('reports malformed JSON as invalid_response', async () => {
      const error = await fetchFailure({
        status: 200,
        headers: JSON_HEADERS,
        body: readFixture('graphql-issue-open').body.slice(0, 120),
      });

      expect(error.kind).toBe('invalid_response');
      expect(error.httpStatus).toBe(200);
      expect(error.message).toBe(
        `GitHub at ${github.apiUrl} sent malformed or truncated JSON (HTTP 200) for the GraphQL query`,
      );
    });

    it('reports a body without data as invalid_response', async () => {
      const error = await fetchFailure({
        status: 200,
        headers: JSON_HEADERS,
        body: '{"result":{}}',
      });

      expect(error.kind).toBe('invalid_response');
      expect(error.message).toBe(
        `GitHub at ${github.apiUrl} sent a GraphQL response of the wrong shape (no data object, HTTP 200)`,
      );
    });

    it('reports an errors field that is not a list as invalid_response', async () => {
      const error = await fetchFailure({
        status: 200,
        headers: JSON_HEADERS,
        body: '{"errors":"boom"}',
      });

      expect(error.kind).toBe('invalid_response');
      expect(error.message).toBe(
        `GitHub at ${github.apiUrl} sent a GraphQL response of the wrong shape (a body without data or a valid errors list, HTTP 200)`,
      );
    });

    it('reports an issue of the wrong shape as invalid_response', async () => {
      const error = await fetchFailure({
        status: 200,
        headers: JSON_HEADERS,
        body: '{"data":{"r0":{"i0":{"__typename":"Issue","title":5,"state":"OPEN"}}}}',
      });

      expect(error.kind).toBe('invalid_response');
      expect(error.message).toBe(
        `GitHub at ${github.apiUrl} sent owner/repo#1 in the wrong shape: Issue title is missing`,
      );
    });

    it('reports a body larger than maxResponseBytes as invalid_response', async () => {
      const body = JSON.stringify({
        data: { r0: { i0: null } },
        padding: 'x'.repeat(5_000),
      });
      const error = await fetchFailure(
        { status: 200, headers: JSON_HEADERS, body },
        { maxResponseBytes: 4_096 },
      );

      expect(error.kind).toBe('invalid_response');
      expect(error.httpStatus).toBe(200);
      expect(error.message).toBe(
        `GitHub at ${github.apiUrl} sent a response larger than 4096 bytes: raise TRACKER_MAX_RESPONSE_BYTES or lower TRACKER_BATCH_SIZE`,
      );
    });

    it('stops reading a chunked body once it passes maxResponseBytes', async () => {
      const chunks = Array.from({ length: 10 }, () => 'x'.repeat(1_000));
      const error = await fetchFailure(
        { status: 200, headers: JSON_HEADERS, chunks },
        { maxResponseBytes: 4_096 },
      );

      expect(error.kind).toBe('invalid_response');
      expect(error.message).toContain('larger than 4096 bytes');
    });

    it('marks a query GitHub rejects as invalid as a client bug', async () => {
      const error = await fetchFailure({
        status: 200,
        headers: JSON_HEADERS,
        body: '{"errors":[{"path":["query","r0","i0","foo"],"extensions":{"code":"undefinedField","typeName":"Issue","fieldName":"foo"},"locations":[{"line":3,"column":5}],"message":"Field \'foo\' doesn\'t exist on type \'Issue\'"}]}',
      });

      expect(error.kind).toBe('invalid_response');
      expect(error.message).toBe(
        `GitHub at ${github.apiUrl} rejected the query as invalid (Field 'foo' doesn't exist on type 'Issue'): this is a bug in the issue-sync GitHub adapter, not a problem with the issue; report it with this message`,
      );
    });

    it('reports a missing GraphQL endpoint as not_found naming GITHUB_API_URL', async () => {
      const error = await fetchFailure(undefined, {
        apiUrl: `${github.url}/wrong`,
      });

      expect(error.kind).toBe('not_found');
      expect(error.httpStatus).toBe(404);
      expect(error.message).toBe(
        `GitHub at ${github.url}/wrong answered 404 Not Found for the GraphQL query: check GITHUB_API_URL (https://api.github.com, or https://HOST/api for GitHub Enterprise Server)`,
      );
    });

    it('does not follow a redirect of the GraphQL endpoint', async () => {
      const error = await fetchFailure({
        status: 307,
        headers: { location: 'https://elsewhere.example/graphql' },
      });

      expect(error.kind).toBe('invalid_response');
      expect(error.httpStatus).toBe(307);
      expect(error.message).toBe(
        `GitHub at ${github.apiUrl} redirected the GraphQL query to https://elsewhere.example/graphql (HTTP 307), which is not followed: check GITHUB_API_URL`,
      );
      expect(github.requests).toHaveLength(1);
    });
  });

  it('reports each request to the observer with its error kind', async () => {
    const harness = harnessFor();
    github.intercept(() => ({
      status: 503,
      headers: JSON_HEADERS,
      body: '{}',
    }));
    await settle(harness.adapter.fetchIssue(githubRef('owner/repo', 1)));

    expect(harness.requestEvents).toHaveLength(1);
    expect(harness.requestEvents[0]).toMatchObject({
      tracker: 'GITHUB',
      endpoint: 'graphql',
      httpStatus: 503,
      errorKind: 'unavailable',
    });
    expect(harness.requestEvents[0]?.durationMs).toBeGreaterThanOrEqual(0);
    expect(harness.batchSizes).toEqual([1]);
  });
});
