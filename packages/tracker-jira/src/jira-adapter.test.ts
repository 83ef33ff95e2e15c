import type {
  AdapterLogger,
  IssueRef,
  TrackerAdapter,
  TrackerError,
} from '@issue-sync/tracker-core';

import { createJiraAdapter } from './jira-adapter';
import type { JiraAdapterOptions } from './jira-adapter';
import { startFixtureServer } from '@issue-sync/tracker-core/testing';
import type {
  FixtureServer,
  ReceivedRequest,
} from '@issue-sync/tracker-core/testing';
import { readFixture, readJsonFixture } from '@issue-sync/tracker-core/testing';

const USERNAME = 'user@example.com';
const TOKEN = 'CANARY-jira-token-7d41b9e0';
const BASIC = `Basic ${Buffer.from(`${USERNAME}:${TOKEN}`).toString('base64')}`;
const SEARCH = '/jira/rest/api/3/search/jql';
const ISSUE = '/jira/rest/api/3/issue';
const FIELDS = ['summary', 'status', 'labels', 'resolution'];

type JsonObject = Record<string, unknown>;

let server: FixtureServer;
let adapter: TrackerAdapter | undefined;
let logLines: Array<{ level: string; message: string; meta?: unknown }>;
let requestEvents: unknown[];
let batchEvents: unknown[];

// Each adapter writes to the arrays current at its creation, so a request
// still in flight from an earlier test cannot land in a later test's arrays.
function captureLogger(lines: typeof logLines): AdapterLogger {
  return {
    debug: (message, meta) => lines.push({ level: 'debug', message, meta }),
    info: (message, meta) => lines.push({ level: 'info', message, meta }),
    warn: (message, meta) => lines.push({ level: 'warn', message, meta }),
  };
}

beforeEach(async () => {
  server = await startFixtureServer();
  logLines = [];
  requestEvents = [];
  batchEvents = [];
});

afterEach(async () => {
  await adapter?.close();
  adapter = undefined;
  await server.close();
});

function makeAdapter(
  overrides: Partial<JiraAdapterOptions> = {},
): TrackerAdapter {
  const events = requestEvents;
  const batches = batchEvents;
  adapter = createJiraAdapter({
    baseUrl: `${server.url}/jira`,
    username: USERNAME,
    token: TOKEN,
    timeoutMs: 2000,
    batchWindowMs: 5,
    batchSize: 50,
    maxResponseBytes: 1_000_000,
    userAgent: 'issue-sync-test/1.0',
    logger: captureLogger(logLines),
    observer: {
      onRequest: (
        (events) => (event: unknown) =>
          events.push(event)
      )(requestEvents),
      onBatch: (
        (events) => (event: unknown) =>
          events.push(event)
      )(batchEvents),
    },
    ...overrides,
  });

  return adapter;
}

function ref(project: string, key: string): IssueRef {
  return { source: 'JIRA', project, key };
}

function todoIssue(
  issueKey: string,
  summary = `Summary of ${issueKey}`,
): JsonObject {
  const issue = readJsonFixture<JsonObject>(
    'jira/issue-get-v3-fields-subset-todo.json',
  );
  const fields = issue.fields as JsonObject;

  return { ...issue, key: issueKey, fields: { ...fields, summary } };
}

function searchReply(issues: unknown[], extra: JsonObject = { isLast: true }) {
  return { body: JSON.stringify({ issues, ...extra }) };
}

function keysOf(request: ReceivedRequest): string[] {
  const { jql } = JSON.parse(request.body) as { jql: string };

  return [...jql.matchAll(/"([^"]+)"/g)].map((match) => match[1] ?? '');
}

async function rejectionOf(promise: Promise<unknown>): Promise<TrackerError> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as TrackerError;
  }
  throw new Error('expected the promise to reject');
}

describe('JiraAdapter.fetchIssue', () => {
  describe('when the search finds the issue', () => {
    it('maps a To Do issue to OPEN', async () => {
      server.route('POST', SEARCH, {
        body: JSON.stringify({
          issues: [
            readJsonFixture('jira/issue-get-v3-fields-subset-todo.json'),
          ],
          isLast: true,
        }),
      });
      const snapshot = await makeAdapter().fetchIssue(ref('SEN', '5'));
      expect(snapshot).toEqual({
        title: 'example summary',
        status: 'OPEN',
        trackerStatus: 'To Do',
        labels: [],
      });
    });

    it('maps a Done issue to CLOSED with its labels', async () => {
      server.route('POST', SEARCH, {
        body: JSON.stringify({
          issues: [
            readJsonFixture('jira/issue-get-v3-fields-subset-done.json'),
          ],
          isLast: true,
        }),
      });
      const snapshot = await makeAdapter().fetchIssue(ref('SEN', '6'));
      expect(snapshot).toEqual({
        title: 'improve the page load performance',
        status: 'CLOSED',
        trackerStatus: 'Done',
        labels: ['backend', 'performance'],
      });
    });

    it('maps indeterminate to OPEN', async () => {
      const page = readJsonFixture<{ issues: JsonObject[] }>(
        'jira/search-jql-page-first.json',
      );
      server.route('POST', SEARCH, searchReply([page.issues[1]]));
      const snapshot = await makeAdapter().fetchIssue(ref('ABC', '2'));
      expect(snapshot).toEqual({
        title: 'Second example issue',
        status: 'OPEN',
        trackerStatus: 'In Progress',
        labels: [],
      });
    });

    it('maps a status without a category to UNKNOWN', async () => {
      const issue = todoIssue('ABC-3');
      const fields = issue.fields as JsonObject;
      server.route(
        'POST',
        SEARCH,
        searchReply([
          { ...issue, fields: { ...fields, status: { name: 'Custom' } } },
        ]),
      );
      const snapshot = await makeAdapter().fetchIssue(ref('ABC', '3'));
      expect(snapshot).toEqual({
        title: 'Summary of ABC-3',
        status: 'UNKNOWN',
        trackerStatus: 'Custom',
        labels: [],
      });
    });

    it('maps an issue without status or labels to UNKNOWN', async () => {
      server.route(
        'POST',
        SEARCH,
        searchReply([{ key: 'ABC-4', fields: { summary: 'Bare' } }]),
      );
      const snapshot = await makeAdapter().fetchIssue(ref('ABC', '4'));
      expect(snapshot).toEqual({
        title: 'Bare',
        status: 'UNKNOWN',
        trackerStatus: null,
        labels: [],
      });
    });

    it('sends only the validated key, fields and credentials', async () => {
      server.route('POST', SEARCH, searchReply([todoIssue('ABC-12')]));
      await makeAdapter().fetchIssue(ref('ABC', '12'));
      expect(server.requests).toHaveLength(1);
      const [request] = server.requests;
      expect(request?.method).toBe('POST');
      expect(request?.path).toBe(SEARCH);
      expect([...(request?.query.keys() ?? [])]).toEqual([]);
      expect(request?.headers.authorization).toBe(BASIC);
      expect(request?.headers['user-agent']).toBe('issue-sync-test/1.0');
      expect(request?.headers['content-type']).toBe('application/json');
      expect(JSON.parse(request?.body ?? '')).toEqual({
        jql: 'key in ("ABC-12")',
        fields: FIELDS,
        maxResults: 1,
      });
    });
  });

  describe('when the search pages', () => {
    it('follows nextPageToken until isLast', async () => {
      const firstPage = readFixture('jira/search-jql-page-first.json');
      server.route('POST', SEARCH, (request) => {
        const body = JSON.parse(request.body) as JsonObject;
        return body.nextPageToken === 'CAEaAggD'
          ? searchReply([todoIssue('ABC-3', 'Third')])
          : { body: firstPage };
      });
      const jira = makeAdapter();
      const snapshots = await Promise.all([
        jira.fetchIssue(ref('ABC', '1')),
        jira.fetchIssue(ref('ABC', '2')),
        jira.fetchIssue(ref('ABC', '3')),
      ]);
      expect(snapshots.map((snapshot) => snapshot.title)).toEqual([
        'First example issue',
        'Second example issue',
        'Third',
      ]);
      expect(snapshots[0]?.labels).toEqual(['sync']);
      expect(
        server.requests.map((request) => JSON.parse(request.body)),
      ).toEqual([
        {
          jql: 'key in ("ABC-1", "ABC-2", "ABC-3")',
          fields: FIELDS,
          maxResults: 3,
        },
        {
          jql: 'key in ("ABC-1", "ABC-2", "ABC-3")',
          fields: FIELDS,
          maxResults: 3,
          nextPageToken: 'CAEaAggD',
        },
      ]);
    });

    it('rejects a repeated page token', async () => {
      server.route(
        'POST',
        SEARCH,
        searchReply([], { isLast: false, nextPageToken: 'same' }),
      );
      const error = await rejectionOf(
        makeAdapter().fetchIssue(ref('ABC', '1')),
      );
      expect(error.kind).toBe('invalid_response');
      expect(error.message).toBe(
        `Jira at ${server.url}/jira sent the same nextPageToken twice: the answer does not have the shape of Jira REST API v3`,
      );
      expect(server.requests).toHaveLength(2);
    });
  });

  describe('when a batch is sent', () => {
    it('reads 100 found issues with exactly one request', async () => {
      server.route('POST', SEARCH, (request) =>
        searchReply(keysOf(request).map((issueKey) => todoIssue(issueKey))),
      );
      const jira = makeAdapter({ batchSize: 100 });
      const numbers = Array.from({ length: 100 }, (_, index) =>
        String(index + 1),
      );
      const snapshots = await Promise.all(
        numbers.map((number) => jira.fetchIssue(ref('DEMO', number))),
      );
      expect(server.requests).toHaveLength(1);
      expect(snapshots.map((snapshot) => snapshot.title)).toEqual(
        numbers.map((number) => `Summary of DEMO-${number}`),
      );
      const body = JSON.parse(server.requests[0]?.body ?? '') as JsonObject;
      expect(body.maxResults).toBe(100);
      expect(body.jql).toBe(
        `key in (${numbers.map((number) => `"DEMO-${number}"`).join(', ')})`,
      );
      expect(batchEvents).toEqual([{ tracker: 'JIRA', size: 100 }]);
      expect(requestEvents).toEqual([
        {
          tracker: 'JIRA',
          endpoint: 'search/jql',
          durationMs: expect.any(Number),
          httpStatus: 200,
          errorKind: undefined,
        },
      ]);
    });

    it('splits calls beyond batchSize into several searches', async () => {
      server.route('POST', SEARCH, (request) =>
        searchReply(keysOf(request).map((issueKey) => todoIssue(issueKey))),
      );
      const jira = makeAdapter({ batchSize: 40 });
      await Promise.all(
        Array.from({ length: 100 }, (_, index) =>
          jira.fetchIssue(ref('DEMO', String(index + 1))),
        ),
      );
      expect(server.requests.map((request) => keysOf(request).length)).toEqual([
        40, 40, 20,
      ]);
      expect(batchEvents).toEqual([
        { tracker: 'JIRA', size: 40 },
        { tracker: 'JIRA', size: 40 },
        { tracker: 'JIRA', size: 20 },
      ]);
    });

    it('asks for a key requested twice only once', async () => {
      server.route('POST', SEARCH, searchReply([todoIssue('ABC-1')]));
      const jira = makeAdapter();
      const [first, second] = await Promise.all([
        jira.fetchIssue(ref('ABC', '1')),
        jira.fetchIssue(ref('ABC', '1')),
      ]);
      expect(first?.title).toBe('Summary of ABC-1');
      expect(second?.title).toBe('Summary of ABC-1');
      expect(keysOf(server.requests[0] as ReceivedRequest)).toEqual(['ABC-1']);
    });

    it('fails only the issue whose fields are malformed', async () => {
      const broken = todoIssue('ABC-2');
      server.route(
        'POST',
        SEARCH,
        searchReply([
          todoIssue('ABC-1'),
          { ...broken, fields: { summary: 42 } },
        ]),
      );
      const jira = makeAdapter();
      const [good, bad] = await Promise.allSettled([
        jira.fetchIssue(ref('ABC', '1')),
        jira.fetchIssue(ref('ABC', '2')),
      ]);
      expect(good).toEqual({
        status: 'fulfilled',
        value: {
          title: 'Summary of ABC-1',
          status: 'OPEN',
          trackerStatus: 'To Do',
          labels: [],
        },
      });
      expect(bad.status).toBe('rejected');
      expect((bad as PromiseRejectedResult).reason).toMatchObject({
        kind: 'invalid_response',
        message: `Jira at ${server.url}/jira sent issue ABC-2 without a summary string: the answer does not have the shape of Jira REST API v3`,
      });
    });

    it('reads an unmatched key singly', async () => {
      server.route('POST', SEARCH, {
        body: readFixture('jira/search-jql-key-in-missing-keys.json'),
      });
      server.route('GET', `${ISSUE}/ABC-999`, {
        status: 404,
        body: readFixture('jira/error-404-issue-not-found.json'),
      });
      const jira = makeAdapter();
      const [found, missing] = await Promise.allSettled([
        jira.fetchIssue(ref('ABC', '1')),
        jira.fetchIssue(ref('ABC', '999')),
      ]);
      expect(found).toEqual({
        status: 'fulfilled',
        value: {
          title: 'First example issue',
          status: 'OPEN',
          trackerStatus: 'To Do',
          labels: ['sync'],
        },
      });
      expect((missing as PromiseRejectedResult).reason).toMatchObject({
        kind: 'not_found',
        httpStatus: 404,
        message: `Jira issue ABC-999 does not exist or the account in JIRA_USERNAME cannot see it (404 from Jira at ${server.url}/jira)`,
      });
      expect(
        server.requests.map((request) => `${request.method} ${request.path}`),
      ).toEqual([`POST ${SEARCH}`, `GET ${ISSUE}/ABC-999`]);
      expect(server.requests[1]?.query.get('fields')).toBe(
        'summary,status,labels,resolution',
      );
      expect([...(server.requests[1]?.query.keys() ?? [])]).toEqual(['fields']);
      expect(server.requests[1]?.headers.authorization).toBe(BASIC);
    });

    it('falls back to single reads on 400', async () => {
      server.route('POST', SEARCH, {
        status: 400,
        body: readFixture('jira/error-400-jql-value-does-not-exist.json'),
      });
      server.route('GET', `${ISSUE}/SEN-6`, {
        body: readFixture('jira/issue-get-v3-fields-subset-done.json'),
      });
      server.route('GET', `${ISSUE}/SEN-7`, {
        status: 404,
        body: readFixture('jira/error-404-issue-not-found.json'),
      });
      server.route('GET', `${ISSUE}/SEN-8`, {
        status: 503,
        body: '<html>busy</html>',
      });
      const jira = makeAdapter();
      const results = await Promise.allSettled([
        jira.fetchIssue(ref('SEN', '6')),
        jira.fetchIssue(ref('SEN', '7')),
        jira.fetchIssue(ref('SEN', '8')),
      ]);
      expect(results[0]).toEqual({
        status: 'fulfilled',
        value: {
          title: 'improve the page load performance',
          status: 'CLOSED',
          trackerStatus: 'Done',
          labels: ['backend', 'performance'],
        },
      });
      expect((results[1] as PromiseRejectedResult).reason).toMatchObject({
        kind: 'not_found',
      });
      expect((results[2] as PromiseRejectedResult).reason).toMatchObject({
        kind: 'unavailable',
        message: `503 Service Unavailable from Jira at ${server.url}/jira: the tracker is down or overloaded; try again later`,
      });
      expect(server.requests).toHaveLength(4);
      expect(logLines.filter((line) => line.level === 'warn')).toEqual([
        {
          level: 'warn',
          message: 'Jira key search failed; reading the issues one by one',
          meta: {
            tracker: 'JIRA',
            httpStatus: 400,
            kind: 'invalid_response',
            size: 3,
          },
        },
      ]);
    });

    it('reads singles when the search body is broken', async () => {
      server.route('POST', SEARCH, { status: 200, body: '{"issues": [' });
      server.route('GET', `${ISSUE}/ABC-1`, {
        body: JSON.stringify(todoIssue('ABC-1')),
      });
      server.route('GET', `${ISSUE}/ABC-2`, { status: 200, body: '{"key": ' });
      const jira = makeAdapter();

      const results = await Promise.allSettled([
        jira.fetchIssue(ref('ABC', '1')),
        jira.fetchIssue(ref('ABC', '2')),
      ]);

      expect(results[0]!.status).toBe('fulfilled');
      expect((results[1] as PromiseRejectedResult).reason).toMatchObject({
        kind: 'invalid_response',
      });
      expect(server.requests).toHaveLength(3);
    });

    it('stops single reads during an outage', async () => {
      server.route('POST', SEARCH, { status: 503, body: '<html>down</html>' });
      for (let number = 1; number <= 20; number += 1) {
        server.route('GET', `${ISSUE}/ABC-${number}`, {
          status: 503,
          body: '<html>down</html>',
        });
      }
      const jira = makeAdapter({ maxConcurrentRequests: 1 });

      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          jira.fetchIssue(ref('ABC', String(i + 1))),
        ),
      );

      for (const result of results) {
        expect((result as PromiseRejectedResult).reason).toMatchObject({
          kind: 'unavailable',
        });
      }
      // One search, then single reads only until three have failed.
      expect(server.requests).toHaveLength(4);
    });

    it('bounds the single reads in flight', async () => {
      let inFlight = 0;
      let maxInFlight = 0;
      server.route('POST', SEARCH, { status: 400, body: '{}' });
      for (let number = 1; number <= 12; number += 1) {
        server.route('GET', `${ISSUE}/ABC-${number}`, async () => {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 20));
          inFlight -= 1;
          return { body: JSON.stringify(todoIssue(`ABC-${number}`)) };
        });
      }
      const jira = makeAdapter({ maxConcurrentRequests: 3 });
      const snapshots = await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          jira.fetchIssue(ref('ABC', String(index + 1))),
        ),
      );
      expect(snapshots).toHaveLength(12);
      expect(maxInFlight).toBe(3);
      expect(server.requests).toHaveLength(13);
    });
  });

  describe('when the issue was moved', () => {
    it('returns the snapshot with movedTo the new key', async () => {
      server.route(
        'POST',
        SEARCH,
        searchReply([readJsonFixture('jira/issue-get-v3-moved-old-key.json')]),
      );
      server.route('GET', `${ISSUE}/APP-123`, {
        body: readFixture('jira/issue-get-v3-moved-old-key.json'),
      });
      const snapshot = await makeAdapter().fetchIssue(ref('APP', '123'));
      expect(snapshot).toEqual({
        title: 'example summary',
        status: 'OPEN',
        trackerStatus: 'In Progress',
        labels: [],
        movedTo: { source: 'JIRA', project: 'PLATFORM', key: '45' },
      });
    });

    it('keeps a full v2-style body readable', async () => {
      server.route('POST', SEARCH, searchReply([]));
      server.route('GET', `${ISSUE}/SEN-5`, {
        body: readFixture('jira/issue-get-v2-full-sentry.json'),
      });
      const snapshot = await makeAdapter().fetchIssue(ref('SEN', '5'));
      expect(snapshot).toEqual({
        title: 'example summary',
        status: 'OPEN',
        trackerStatus: 'To Do',
        labels: [],
      });
    });
  });

  describe('when Jira rejects the credentials', () => {
    const expected = (url: string) =>
      `401 Unauthorized from Jira at ${url}/jira: check JIRA_USERNAME and JIRA_TOKEN: the token may be expired, revoked or wrong, and JIRA_USERNAME must be the account's e-mail address. Jira Cloud rejects account passwords, so JIRA_TOKEN must be an API token (https://id.atlassian.com/manage-profile/security/api-tokens)`;

    it.each([
      ['plain text', 'jira/error-401-basic-auth-deprecated.txt', 'text/plain'],
      [
        'JSON',
        'jira/error-401-client-must-be-authenticated.json',
        'application/json',
      ],
      ['HTML', 'jira/error-429-rate-limited-truncated.html.txt', 'text/html'],
    ])(
      'throws unauthorized for a %s body',
      async (_kind, fixture, contentType) => {
        server.route('POST', SEARCH, {
          status: 401,
          headers: { 'content-type': contentType },
          body: readFixture(fixture),
        });
        const error = await rejectionOf(
          makeAdapter().fetchIssue(ref('ABC', '1')),
        );
        expect(error.kind).toBe('unauthorized');
        expect(error.httpStatus).toBe(401);
        expect(error.message).toBe(expected(server.url));
      },
    );

    it('names the CAPTCHA lock', async () => {
      server.route('POST', SEARCH, {
        status: 403,
        headers: { 'x-seraph-loginreason': 'AUTHENTICATION_DENIED' },
        body: '',
      });
      const error = await rejectionOf(
        makeAdapter().fetchIssue(ref('ABC', '1')),
      );
      expect(error.kind).toBe('unauthorized');
      expect(error.message).toBe(
        `403 from Jira at ${server.url}/jira: Jira locked JIRA_USERNAME behind a CAPTCHA after failed logins; log in once in a browser, then check JIRA_USERNAME and JIRA_TOKEN`,
      );
    });
  });

  describe('when Jira answers with an error status', () => {
    it('fails the whole batch with not_configured on 410', async () => {
      server.route('POST', SEARCH, {
        status: 410,
        body: readFixture('jira/error-410-search-endpoint-removed.json'),
      });
      const jira = makeAdapter();
      const results = await Promise.allSettled([
        jira.fetchIssue(ref('ABC', '1')),
        jira.fetchIssue(ref('ABC', '2')),
      ]);
      for (const result of results) {
        expect((result as PromiseRejectedResult).reason).toMatchObject({
          kind: 'not_configured',
          httpStatus: 410,
          message: `410 Gone from Jira at ${server.url}/jira: the endpoint was removed; change JIRA_BASE_URL or move to a version of issue-sync that uses the tracker's current API`,
        });
      }
      expect(server.requests).toHaveLength(1);
    });

    it('throws forbidden on 403', async () => {
      server.route('POST', SEARCH, {
        status: 403,
        body: '{"errorMessages":["You do not have permission."],"errors":{}}',
      });
      const error = await rejectionOf(
        makeAdapter().fetchIssue(ref('ABC', '1')),
      );
      expect(error.kind).toBe('forbidden');
    });

    it('reads Retry-After from a 429', async () => {
      server.route('POST', SEARCH, {
        status: 429,
        headers: { 'retry-after': '17', 'content-type': 'text/html' },
        body: readFixture('jira/error-429-rate-limited-truncated.html.txt'),
      });
      const error = await rejectionOf(
        makeAdapter().fetchIssue(ref('ABC', '1')),
      );
      expect(error.kind).toBe('rate_limited');
      expect(error.retryAfterMs).toBe(17000);
      expect(error.message).toBe(
        `429 Too Many Requests from Jira at ${server.url}/jira: rate limit reached, retry after 17 s`,
      );
    });

    it('reads X-RateLimit-Reset from a 429', async () => {
      const reset =
        new Date(Date.now() + 5 * 60_000).toISOString().slice(0, 16) + 'Z';
      server.route('POST', SEARCH, {
        status: 429,
        headers: { 'x-ratelimit-reset': reset, 'content-type': 'text/html' },
        body: readFixture('jira/error-429-rate-limited-truncated.html.txt'),
      });
      const error = await rejectionOf(
        makeAdapter().fetchIssue(ref('ABC', '1')),
      );
      expect(error.kind).toBe('rate_limited');
      expect(error.retryAfterMs).toBeGreaterThan(3.9 * 60_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(5 * 60_000);
    });

    it('throws unavailable on an HTML 503', async () => {
      server.route('POST', SEARCH, {
        status: 503,
        headers: { 'content-type': 'text/html' },
        body: '<!DOCTYPE html><html><body>Service Unavailable</body></html>',
      });
      const error = await rejectionOf(
        makeAdapter().fetchIssue(ref('ABC', '1')),
      );
      expect(error.kind).toBe('unavailable');
      expect(error.httpStatus).toBe(503);
    });
  });

  describe('when the answer is broken', () => {
    it('throws network when Jira never answers', async () => {
      server.route('POST', SEARCH, 'hang');
      const error = await rejectionOf(
        makeAdapter({ timeoutMs: 150 }).fetchIssue(ref('ABC', '1')),
      );
      expect(error.kind).toBe('network');
      expect(error.message).toBe(
        `Request to Jira at ${server.url}/jira timed out after 150 ms: check that the tracker is up and reachable, or raise TRACKER_TIMEOUT_MS`,
      );
    });

    it('throws network when the connection is reset', async () => {
      server.route('POST', SEARCH, 'reset');
      const error = await rejectionOf(
        makeAdapter().fetchIssue(ref('ABC', '1')),
      );
      expect(error.kind).toBe('network');
      expect(error.message).toContain('(ECONNRESET)');
    });

    it.each([
      ['malformed', '{"issues": [}'],
      [
        'truncated',
        readFixture('jira/search-jql-page-first.json').slice(0, 200),
      ],
    ])('throws invalid_response for %s JSON', async (_kind, body) => {
      server.route('POST', SEARCH, { body });
      const error = await rejectionOf(
        makeAdapter().fetchIssue(ref('ABC', '1')),
      );
      expect(error.kind).toBe('invalid_response');
      expect(error.message).toBe(
        `Jira at ${server.url}/jira sent an issue search result that is not valid JSON (HTTP 200, content type application/json;charset=UTF-8, ${body.length} characters)`,
      );
    });

    it('throws invalid_response for a body of the wrong shape', async () => {
      server.route('POST', SEARCH, { body: '{"values":[],"isLast":true}' });
      const error = await rejectionOf(
        makeAdapter().fetchIssue(ref('ABC', '1')),
      );
      expect(error.kind).toBe('invalid_response');
      expect(error.message).toBe(
        `Jira at ${server.url}/jira sent a search result without an issues list: the answer does not have the shape of Jira REST API v3`,
      );
    });

    it('throws invalid_response for an issue without a key', async () => {
      server.route('POST', SEARCH, searchReply([{ fields: { summary: 'x' } }]));
      const error = await rejectionOf(
        makeAdapter().fetchIssue(ref('ABC', '1')),
      );
      expect(error.kind).toBe('invalid_response');
      expect(error.message).toBe(
        `Jira at ${server.url}/jira sent an issue without a key: the answer does not have the shape of Jira REST API v3`,
      );
    });

    it('throws invalid_response for an oversize body', async () => {
      server.route('POST', SEARCH, {
        body: JSON.stringify({
          issues: [],
          isLast: true,
          padding: 'x'.repeat(5000),
        }),
      });
      const error = await rejectionOf(
        makeAdapter({ maxResponseBytes: 2048 }).fetchIssue(ref('ABC', '1')),
      );
      expect(error.kind).toBe('invalid_response');
      expect(error.message).toBe(
        `Response from Jira at ${server.url}/jira is larger than 2048 bytes: raise TRACKER_MAX_RESPONSE_BYTES if such answers are expected`,
      );
    });
  });

  describe('when the reference or configuration is invalid', () => {
    it.each([
      [
        { source: 'GITHUB', project: 'ABC', key: '1' },
        'Issue source GITHUB cannot be read by the Jira adapter: route it to the GITHUB adapter',
      ],
      [
        { source: 'JIRA', project: 'abc', key: '1' },
        'Invalid Jira project key "abc": expected an upper-case letter followed by upper-case letters, digits or underscores, such as ABC',
      ],
      [
        {
          source: 'JIRA',
          project: 'ABC") OR project = SECRET OR key in ("X',
          key: '1',
        },
        'Invalid Jira project key "ABC\\") OR project = SECRET OR key in (\\"X": expected an upper-case letter followed by upper-case letters, digits or underscores, such as ABC',
      ],
      [
        { source: 'JIRA', project: 'ABC', key: '01' },
        'Invalid Jira issue number "01" in project ABC: expected decimal digits without leading zeros, such as 12',
      ],
      [
        { source: 'JIRA', project: 'ABC', key: '1 OR 1=1' },
        'Invalid Jira issue number "1 OR 1=1" in project ABC: expected decimal digits without leading zeros, such as 12',
      ],
    ])(
      'rejects %j as invalid_reference without a request',
      async (badRef, message) => {
        const error = await rejectionOf(
          makeAdapter().fetchIssue(badRef as IssueRef),
        );
        expect(error.kind).toBe('invalid_reference');
        expect(error.message).toBe(message);
        expect(server.requests).toHaveLength(0);
      },
    );

    it.each([
      [{ username: undefined }, 'JIRA_USERNAME'],
      [{ username: '' }, 'JIRA_USERNAME'],
      [{ token: undefined }, 'JIRA_TOKEN'],
      [{ token: '  ' }, 'JIRA_TOKEN'],
    ])('throws not_configured for %j', async (overrides, variable) => {
      const error = await rejectionOf(
        makeAdapter(overrides).fetchIssue(ref('ABC', '1')),
      );
      expect(error.kind).toBe('not_configured');
      expect(error.message).toBe(
        `${variable} is not set: set JIRA_USERNAME to the account's e-mail address and JIRA_TOKEN to an API token to read Jira issues`,
      );
      expect(server.requests).toHaveLength(0);
    });

    it.each([
      [
        { batchSize: 0 },
        'Jira adapter option batchSize is 0: expected a whole number from 1 to 100',
      ],
      [
        { batchSize: 101 },
        'Jira adapter option batchSize is 101: expected a whole number from 1 to 100',
      ],
      [
        { batchWindowMs: -1 },
        'Jira adapter option batchWindowMs is -1: expected milliseconds, 0 or more',
      ],
      [
        { maxConcurrentRequests: 0 },
        'Jira adapter option maxConcurrentRequests is 0: expected a whole number, 1 or more',
      ],
    ])('rejects option %j', (overrides, message) => {
      expect(() => makeAdapter(overrides)).toThrow(message);
    });
  });
});

describe('JiraAdapter.checkCredentials', () => {
  it('reports the account behind the token', async () => {
    server.route('GET', '/jira/rest/api/3/myself', {
      body: JSON.stringify({
        accountId: '000000:00000000-0000-0000-0000-000000000002',
        emailAddress: 'user@example.com',
        displayName: 'Example User',
        active: true,
      }),
    });
    const report = await makeAdapter().checkCredentials();
    expect(report).toEqual({
      ok: true,
      summary: `Jira at ${server.url}/jira accepts JIRA_TOKEN for Example User (user@example.com)`,
      warnings: [],
    });
    expect(server.requests[0]?.headers.authorization).toBe(BASIC);
  });

  it('warns about a deactivated account', async () => {
    server.route('GET', '/jira/rest/api/3/myself', {
      body: JSON.stringify({
        accountId: 'abc123',
        displayName: 'Bot',
        active: false,
      }),
    });
    const report = await makeAdapter().checkCredentials();
    expect(report).toEqual({
      ok: true,
      summary: `Jira at ${server.url}/jira accepts JIRA_TOKEN for Bot (account abc123)`,
      warnings: [
        'the Jira account is deactivated, so reads will fail once its session ends',
      ],
    });
  });

  it.each([
    'jira/error-401-basic-auth-deprecated.txt',
    'jira/error-401-client-must-be-authenticated.json',
  ])('reports a rejected token from %s', async (fixture) => {
    server.route('GET', '/jira/rest/api/3/myself', {
      status: 401,
      body: readFixture(fixture),
    });
    const report = await makeAdapter().checkCredentials();
    expect(report.ok).toBe(false);
    expect(report.summary).toMatch(
      /^401 Unauthorized from Jira at .+: check JIRA_USERNAME and JIRA_TOKEN: the token may be expired, revoked or wrong/,
    );
    expect(report.warnings).toEqual([]);
  });

  it('reports missing credentials without a request', async () => {
    const report = await makeAdapter({ token: undefined }).checkCredentials();
    expect(report).toEqual({
      ok: false,
      summary:
        "JIRA_TOKEN is not set: set JIRA_USERNAME to the account's e-mail address and JIRA_TOKEN to an API token to read Jira issues",
      warnings: [],
    });
    expect(server.requests).toHaveLength(0);
  });

  it('throws when Jira is down', async () => {
    server.route('GET', '/jira/rest/api/3/myself', {
      status: 502,
      body: '<html></html>',
    });
    const error = await rejectionOf(makeAdapter().checkCredentials());
    expect(error.kind).toBe('unavailable');
  });
});

describe('Jira adapter secrets', () => {
  it('keeps the token out of errors and logs', async () => {
    const replies = [
      {
        status: 401,
        body: readFixture('jira/error-401-basic-auth-deprecated.txt'),
      },
      { status: 403, body: '{}' },
      { status: 429, headers: { 'retry-after': '3' }, body: '' },
      { status: 500, body: `echo ${BASIC}` },
      { status: 200, body: '{not json' },
    ];
    const errors: unknown[] = [];
    for (const reply of replies) {
      server.route('POST', SEARCH, reply);
      errors.push(await rejectionOf(makeAdapter().fetchIssue(ref('ABC', '1'))));
      await adapter?.close();
    }
    server.route('POST', SEARCH, 'reset');
    errors.push(await rejectionOf(makeAdapter().fetchIssue(ref('ABC', '1'))));
    server.route('GET', '/jira/rest/api/3/myself', { status: 401, body: '' });
    const report = await makeAdapter().checkCredentials();

    const texts = [
      ...errors.map((error) => {
        const trackerError = error as TrackerError;
        return [
          trackerError.message,
          String(trackerError.stack),
          JSON.stringify(trackerError),
          String(trackerError.cause),
        ].join('\n');
      }),
      JSON.stringify(report),
      JSON.stringify(logLines),
      JSON.stringify(requestEvents),
    ];
    expect(errors).toHaveLength(6);
    expect(logLines.length).toBeGreaterThan(0);
    for (const text of texts) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(BASIC.slice('Basic '.length));
    }
    for (const error of errors) {
      expect((error as TrackerError).cause).toBeUndefined();
    }
  });
});
