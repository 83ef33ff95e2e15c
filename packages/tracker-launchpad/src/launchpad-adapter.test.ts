import type {
  AdapterLogger,
  IssueRef,
  TrackerAdapter,
  TrackerError,
} from '@issue-sync/tracker-core';

import { createLaunchpadAdapter } from './launchpad-adapter';
import type { LaunchpadAdapterOptions } from './launchpad-adapter';
import { startFixtureServer } from '@issue-sync/tracker-core/testing';
import type { FixtureServer } from '@issue-sync/tracker-core/testing';
import { readFixture, readJsonFixture } from '@issue-sync/tracker-core/testing';

type JsonObject = Record<string, unknown>;

const BUG_TITLE =
  'Invalid MIT-MAGIC-COOKIE-1 keyUnable to init server: Could not connect: Connection refused';
const BUG_TAGS = [
  'amd64',
  'apport-bug',
  'artful',
  'wayland',
  'wayland-session',
];

let server: FixtureServer;
let adapter: TrackerAdapter | undefined;
let logLines: Array<{ level: string; message: string; meta?: unknown }>;
let requestEvents: unknown[];

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
});

afterEach(async () => {
  await adapter?.close();
  adapter = undefined;
  await server.close();
});

function makeAdapter(
  overrides: Partial<LaunchpadAdapterOptions> = {},
): TrackerAdapter {
  const events = requestEvents;
  adapter = createLaunchpadAdapter({
    apiUrl: `${server.url}/devel`,
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
    },
    ...overrides,
  });

  return adapter;
}

function ref(project: string, key: string): IssueRef {
  return { source: 'LAUNCHPAD', project, key };
}

function tasksFixture(): { entries: JsonObject[] } & JsonObject {
  return readJsonFixture('launchpad/bug-tasks-collection-devel.json');
}

function sourcePackageTask(): JsonObject {
  const collection = readJsonFixture<{ entries: JsonObject[] }>(
    'launchpad/searchtasks-collection-1.0-perceval.json',
  );

  return collection.entries[0] as JsonObject;
}

function task(target: string, status: string, isComplete: boolean): JsonObject {
  return {
    ...(tasksFixture().entries[1] as JsonObject),
    bug_target_name: target,
    status,
    is_complete: isComplete,
  };
}

function serveBug(
  number: string,
  entries: unknown[],
  extra: JsonObject = {},
): void {
  server.route('GET', `/devel/bugs/${number}`, {
    body: readFixture('launchpad/bug-devel.json'),
  });
  server.route('GET', `/devel/bugs/${number}/bug_tasks`, {
    body: JSON.stringify({
      start: 0,
      total_size: entries.length,
      entries,
      ...extra,
    }),
  });
}

async function rejectionOf(promise: Promise<unknown>): Promise<TrackerError> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as TrackerError;
  }
  throw new Error('expected the promise to reject');
}

describe('LaunchpadAdapter.fetchIssue', () => {
  describe('when choosing the task', () => {
    it('uses the task of the project', async () => {
      server.route('GET', '/devel/bugs/2', {
        body: readFixture('launchpad/bug-devel.json'),
      });
      server.route('GET', '/devel/bugs/2/bug_tasks', {
        body: readFixture('launchpad/bug-tasks-collection-devel.json'),
      });
      const launchpad = makeAdapter();
      expect(await launchpad.fetchIssue(ref('barbican', '2'))).toEqual({
        title: BUG_TITLE,
        status: 'OPEN',
        trackerStatus: 'Triaged',
        labels: BUG_TAGS,
      });
      expect(await launchpad.fetchIssue(ref('sahara', '2'))).toEqual({
        title: BUG_TITLE,
        status: 'CLOSED',
        trackerStatus: 'Fix Released',
        labels: BUG_TAGS,
      });
    });

    it('uses a source package task of the distribution', async () => {
      serveBug('2', [
        task('sahara', 'Fix Released', true),
        sourcePackageTask(),
      ]);
      expect(await makeAdapter().fetchIssue(ref('ubuntu', '2'))).toEqual({
        title: BUG_TITLE,
        status: 'OPEN',
        trackerStatus: 'Triaged',
        labels: BUG_TAGS,
      });
    });

    it('prefers the project task over a package task', async () => {
      serveBug('2', [
        task('linux-meta (Ubuntu)', 'Fix Released', true),
        task('ubuntu', 'Confirmed', false),
      ]);
      const snapshot = await makeAdapter().fetchIssue(ref('ubuntu', '2'));
      expect(snapshot.trackerStatus).toBe('Confirmed');
      expect(snapshot.status).toBe('OPEN');
    });

    it('reads a package task such as linux-meta (Ubuntu)', async () => {
      serveBug('2', [
        task('sahara', 'New', false),
        task('linux-meta (Ubuntu)', "Won't Fix", true),
      ]);
      const snapshot = await makeAdapter().fetchIssue(ref('ubuntu', '2'));
      expect(snapshot.trackerStatus).toBe("Won't Fix");
      expect(snapshot.status).toBe('CLOSED');
    });

    it('falls back to the first task', async () => {
      serveBug('2', [
        task('sahara', 'Invalid', true),
        task('barbican', 'New', false),
      ]);
      const snapshot = await makeAdapter().fetchIssue(ref('nova', '2'));
      expect(snapshot).toEqual({
        title: BUG_TITLE,
        status: 'CLOSED',
        trackerStatus: 'Invalid',
        labels: BUG_TAGS,
      });
    });

    it('maps a bug without tasks to UNKNOWN', async () => {
      serveBug('2', []);
      expect(await makeAdapter().fetchIssue(ref('nova', '2'))).toEqual({
        title: BUG_TITLE,
        status: 'UNKNOWN',
        trackerStatus: null,
        labels: BUG_TAGS,
      });
    });

    it('derives is_complete from the status', async () => {
      const { is_complete: _ignored, ...withoutFlag } = task(
        'nova',
        'Expired',
        true,
      );
      serveBug('2', [withoutFlag]);
      const snapshot = await makeAdapter().fetchIssue(ref('nova', '2'));
      expect(snapshot.status).toBe('CLOSED');
      expect(snapshot.trackerStatus).toBe('Expired');
    });

    it('treats Fix Committed as open', async () => {
      serveBug('2', [task('nova', 'Fix Committed', false)]);
      expect((await makeAdapter().fetchIssue(ref('nova', '2'))).status).toBe(
        'OPEN',
      );
    });
  });

  describe('when the tasks page', () => {
    it('follows next_collection_link on the same host', async () => {
      server.route('GET', '/devel/bugs/2', {
        body: readFixture('launchpad/bug-devel.json'),
      });
      server.route('GET', '/devel/bugs/2/bug_tasks', (request) =>
        request.query.get('ws.start') === '1'
          ? {
              body: JSON.stringify({
                start: 1,
                total_size: 2,
                entries: [task('nova', 'In Progress', false)],
              }),
            }
          : {
              body: JSON.stringify({
                start: 0,
                total_size: 2,
                entries: [task('sahara', 'Fix Released', true)],
                next_collection_link: `${server.url}/devel/bugs/2/bug_tasks?ws.size=1&memo=1&ws.start=1`,
              }),
            },
      );
      const snapshot = await makeAdapter().fetchIssue(ref('nova', '2'));
      expect(snapshot.trackerStatus).toBe('In Progress');
      const pages = server.requests.filter((request) =>
        request.path.endsWith('/bug_tasks'),
      );
      expect(pages).toHaveLength(2);
      expect(pages[1]?.query.toString()).toBe('ws.size=1&memo=1&ws.start=1');
    });

    it('rejects a next_collection_link to another host', async () => {
      serveBug('2', [task('sahara', 'New', false)], {
        next_collection_link:
          'https://api.launchpad.net.evil.example/devel/bugs/2/bug_tasks?ws.start=1',
      });
      const error = await rejectionOf(
        makeAdapter().fetchIssue(ref('nova', '2')),
      );
      expect(error.kind).toBe('invalid_response');
      expect(error.message).toBe(
        `Launchpad at ${server.url}/devel sent a link for bug 2 to another host (api.launchpad.net.evil.example), which is not followed: check LAUNCHPAD_API_URL`,
      );
      expect(server.requests).toHaveLength(2);
    });
  });

  describe('when Launchpad redirects', () => {
    it('follows a 301 on the same host', async () => {
      server.route('GET', '/devel/bugs/2', {
        body: readFixture('launchpad/bug-devel.json'),
      });
      server.route('GET', '/devel/bugs/2/bug_tasks', {
        status: 301,
        headers: { location: `${server.url}/devel/bugs/3/bug_tasks` },
      });
      server.route('GET', '/devel/bugs/3/bug_tasks', {
        body: readFixture('launchpad/bug-tasks-collection-devel.json'),
      });
      const snapshot = await makeAdapter().fetchIssue(ref('sahara', '2'));
      expect(snapshot.trackerStatus).toBe('Fix Released');
      expect(server.requests.map((request) => request.path).sort()).toEqual([
        '/devel/bugs/2',
        '/devel/bugs/2/bug_tasks',
        '/devel/bugs/3/bug_tasks',
      ]);
      expect(logLines).toContainEqual({
        level: 'debug',
        message: 'Launchpad redirected a request, following it',
        meta: { tracker: 'LAUNCHPAD', endpoint: 'bug_tasks', httpStatus: 301 },
      });
    });

    it('follows a relative Location', async () => {
      serveBug('3', [task('sahara', 'Triaged', false)]);
      server.route('GET', '/devel/bugs/2', {
        status: 301,
        headers: { location: '/devel/bugs/3' },
      });
      server.route('GET', '/devel/bugs/2/bug_tasks', {
        status: 301,
        headers: { location: '/devel/bugs/3/bug_tasks' },
      });
      const snapshot = await makeAdapter().fetchIssue(ref('sahara', '2'));
      expect(snapshot.trackerStatus).toBe('Triaged');
    });

    it('does not follow a 301 to another host', async () => {
      const other = await startFixtureServer();
      try {
        server.route('GET', '/devel/bugs/2', {
          body: readFixture('launchpad/bug-devel.json'),
        });
        server.route('GET', '/devel/bugs/2/bug_tasks', {
          status: 301,
          headers: {
            location: `${other.url.replace('127.0.0.1', 'localhost')}/devel/bugs/2/bug_tasks`,
          },
        });
        const error = await rejectionOf(
          makeAdapter().fetchIssue(ref('sahara', '2')),
        );
        expect(error.kind).toBe('invalid_response');
        expect(error.message).toMatch(
          /^Launchpad at http:\/\/127\.0\.0\.1:\d+\/devel sent a link for bug 2 to another host \(localhost:\d+\), which is not followed: check LAUNCHPAD_API_URL$/,
        );
        expect(other.requests).toHaveLength(0);
      } finally {
        await other.close();
      }
    });

    it('rejects a Location with credentials without repeating them', async () => {
      const password = 'CANARY-launchpad-password-9a7e';
      server.route('GET', '/devel/bugs/2', {
        body: readFixture('launchpad/bug-devel.json'),
      });
      server.route('GET', '/devel/bugs/2/bug_tasks', {
        status: 301,
        headers: {
          location: `http://user:${password}@127.0.0.1/devel/bugs/3/bug_tasks`,
        },
      });
      const error = await rejectionOf(
        makeAdapter().fetchIssue(ref('sahara', '2')),
      );
      expect(error.kind).toBe('invalid_response');
      expect(error.message).toBe(
        `Launchpad at ${server.url}/devel sent a link with credentials for bug 2: the response does not have the shape of the Launchpad web service`,
      );
      expect(JSON.stringify(logLines)).not.toContain(password);
      expect(JSON.stringify(requestEvents)).not.toContain(password);
      expect(server.requests).toHaveLength(2);
    });

    it('stops after three redirects', async () => {
      server.route('GET', '/devel/bugs/2', {
        body: readFixture('launchpad/bug-devel.json'),
      });
      server.route('GET', '/devel/bugs/2/bug_tasks', {
        status: 302,
        headers: { location: '/devel/bugs/2/bug_tasks' },
      });
      const error = await rejectionOf(
        makeAdapter().fetchIssue(ref('sahara', '2')),
      );
      expect(error.kind).toBe('invalid_response');
      expect(error.message).toBe(
        `Launchpad at ${server.url}/devel sent more than 3 redirects for bug 2: the response does not have the shape of the Launchpad web service`,
      );
    });
  });

  describe('when the bug cannot be read', () => {
    const missingMessage = (url: string, number: string) =>
      `Launchpad bug ${number} is missing or private (404 from Launchpad at ${url}/devel): anonymous readers cannot tell the two apart, so check the bug number in a browser while logged in`;

    it('throws not_found for a missing or private bug', async () => {
      server.route('GET', '/devel/bugs/99999999', {
        status: 404,
        headers: { 'content-type': 'text/plain;charset=utf-8' },
        body: readFixture('launchpad/bug-404-not-found.txt'),
      });
      server.route('GET', '/devel/bugs/99999999/bug_tasks', {
        status: 404,
        headers: { 'content-type': 'text/plain;charset=utf-8' },
        body: readFixture('launchpad/bug-404-not-found.txt'),
      });
      const error = await rejectionOf(
        makeAdapter().fetchIssue(ref('ubuntu', '99999999')),
      );
      expect(error.kind).toBe('not_found');
      expect(error.httpStatus).toBe(404);
      expect(error.message).toBe(missingMessage(server.url, '99999999'));
    });

    it('throws not_found when only the tasks are missing', async () => {
      server.route('GET', '/devel/bugs/5', {
        body: readFixture('launchpad/bug-devel.json'),
      });
      server.route('GET', '/devel/bugs/5/bug_tasks', {
        status: 404,
        headers: { 'content-type': 'text/plain' },
        body: readFixture('launchpad/bugtask-404-not-found-bicho-2014.txt'),
      });
      const error = await rejectionOf(
        makeAdapter().fetchIssue(ref('fuel', '5')),
      );
      expect(error.kind).toBe('not_found');
      expect(error.message).toBe(missingMessage(server.url, '5'));
    });

    it.each([502, 503])(
      'throws unavailable for an HTML %i page',
      async (status) => {
        const page =
          '<!DOCTYPE html><html><head><title>Launchpad is down</title></head><body>Please try again.</body></html>';
        server.route('GET', '/devel/bugs/2', {
          status,
          headers: { 'content-type': 'text/html' },
          body: page,
        });
        server.route('GET', '/devel/bugs/2/bug_tasks', {
          status,
          headers: { 'content-type': 'text/html' },
          body: page,
        });
        const error = await rejectionOf(
          makeAdapter().fetchIssue(ref('ubuntu', '2')),
        );
        expect(error.kind).toBe('unavailable');
        expect(error.httpStatus).toBe(status);
        expect(error.message).toMatch(
          new RegExp(
            `^${status} [A-Za-z ]+ from Launchpad at http://127\\.0\\.0\\.1:\\d+/devel: the tracker is down or overloaded; try again later$`,
          ),
        );
      },
    );

    it('throws rate_limited with Retry-After', async () => {
      serveBug('2', []);
      server.route('GET', '/devel/bugs/2/bug_tasks', {
        status: 429,
        headers: { 'retry-after': '12', 'content-type': 'text/html' },
        body: '<html>slow down</html>',
      });
      const error = await rejectionOf(
        makeAdapter().fetchIssue(ref('ubuntu', '2')),
      );
      expect(error.kind).toBe('rate_limited');
      expect(error.retryAfterMs).toBe(12000);
    });

    it('throws network when Launchpad never answers', async () => {
      serveBug('2', []);
      server.route('GET', '/devel/bugs/2', 'hang');
      const error = await rejectionOf(
        makeAdapter({ timeoutMs: 150 }).fetchIssue(ref('ubuntu', '2')),
      );
      expect(error.kind).toBe('network');
      expect(error.message).toBe(
        `Request to Launchpad at ${server.url}/devel timed out after 150 ms: check that the tracker is up and reachable, or raise TRACKER_TIMEOUT_MS`,
      );
    });

    it('throws network when the connection is reset', async () => {
      serveBug('2', []);
      server.route('GET', '/devel/bugs/2', 'reset');
      const error = await rejectionOf(
        makeAdapter().fetchIssue(ref('ubuntu', '2')),
      );
      expect(error.kind).toBe('network');
      expect(error.message).toBe(
        `The connection to Launchpad at ${server.url}/devel was closed before the response ended (ECONNRESET): check the tracker's status and any proxy in between`,
      );
    });

    it.each([
      ['malformed', '{"title": '],
      ['truncated', readFixture('launchpad/bug-devel.json').slice(0, 300)],
      ['HTML', '<html><body>Maintenance</body></html>'],
    ])('throws invalid_response for a %s body', async (_kind, body) => {
      serveBug('2', []);
      server.route('GET', '/devel/bugs/2', { body });
      const error = await rejectionOf(
        makeAdapter().fetchIssue(ref('ubuntu', '2')),
      );
      expect(error.kind).toBe('invalid_response');
      expect(error.message).toBe(
        `Launchpad at ${server.url}/devel sent the entry of bug 2 that is not valid JSON (HTTP 200, content type application/json;charset=UTF-8, ${body.length} characters)`,
      );
    });

    it.each([
      [
        'a bug without a title',
        '/devel/bugs/2',
        '{"id": 2}',
        'bug 2 without a title string',
      ],
      [
        'tags that are not strings',
        '/devel/bugs/2',
        '{"title": "x", "tags": [1]}',
        'bug 2 with tags that are not strings',
      ],
      [
        'tasks without entries',
        '/devel/bugs/2/bug_tasks',
        '{"start": 0}',
        'bug 2 tasks without an entries list',
      ],
      [
        'a task without a status',
        '/devel/bugs/2/bug_tasks',
        '{"entries": [{"bug_target_name": "ubuntu"}]}',
        'a task of bug 2 without bug_target_name and status strings',
      ],
    ])('throws invalid_response for %s', async (_case, path, body, what) => {
      serveBug('2', []);
      server.route('GET', path, { body });
      const error = await rejectionOf(
        makeAdapter().fetchIssue(ref('ubuntu', '2')),
      );
      expect(error.kind).toBe('invalid_response');
      expect(error.message).toBe(
        `Launchpad at ${server.url}/devel sent ${what}: the response does not have the shape of the Launchpad web service`,
      );
    });

    it('throws invalid_response for an oversize body', async () => {
      serveBug('2', []);
      const error = await rejectionOf(
        makeAdapter({ maxResponseBytes: 1024 }).fetchIssue(ref('ubuntu', '2')),
      );
      expect(error.kind).toBe('invalid_response');
      expect(error.message).toBe(
        `Response from Launchpad at ${server.url}/devel is larger than 1024 bytes: raise TRACKER_MAX_RESPONSE_BYTES if such answers are expected`,
      );
    });
  });

  describe('when sending requests', () => {
    it('sends only anonymous GETs for the validated bug number', async () => {
      serveBug('1458945', [task('sahara', 'New', false)]);
      await makeAdapter().fetchIssue(ref('sahara', '1458945'));
      expect(
        server.requests
          .map(
            (request) => `${request.method} ${request.path}?${request.query}`,
          )
          .sort(),
      ).toEqual([
        'GET /devel/bugs/1458945/bug_tasks?',
        'GET /devel/bugs/1458945?',
      ]);
      for (const request of server.requests) {
        expect(request.headers.authorization).toBeUndefined();
        expect(request.headers.cookie).toBeUndefined();
        expect(request.headers['user-agent']).toBe('issue-sync-test/1.0');
        expect(request.headers.accept).toBe('application/json');
        expect(request.body).toBe('');
      }
      expect(requestEvents).toHaveLength(2);
      expect(requestEvents).toContainEqual({
        tracker: 'LAUNCHPAD',
        endpoint: 'bug_tasks',
        durationMs: expect.any(Number),
        httpStatus: 200,
        errorKind: undefined,
      });
    });

    it('bounds the requests in flight', async () => {
      let inFlight = 0;
      let maxInFlight = 0;
      const slow = (body: string) => async () => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight -= 1;
        return { body };
      };
      for (let number = 1; number <= 6; number += 1) {
        server.route(
          'GET',
          `/devel/bugs/${number}`,
          slow(readFixture('launchpad/bug-devel.json')),
        );
        server.route(
          'GET',
          `/devel/bugs/${number}/bug_tasks`,
          slow(JSON.stringify({ entries: [] })),
        );
      }
      const launchpad = makeAdapter({ maxConcurrentRequests: 3 });
      await Promise.all(
        Array.from({ length: 6 }, (_, index) =>
          launchpad.fetchIssue(ref('ubuntu', String(index + 1))),
        ),
      );
      expect(server.requests).toHaveLength(12);
      expect(maxInFlight).toBe(3);
    });

    it.each([
      [
        { source: 'JIRA', project: 'ubuntu', key: '1' },
        'Issue source JIRA cannot be read by the Launchpad adapter: route it to the JIRA adapter',
      ],
      [
        { source: 'LAUNCHPAD', project: 'Ubuntu', key: '1' },
        'Invalid Launchpad project "Ubuntu": expected a lower-case name of letters, digits, "+", "-" or ".", such as ubuntu',
      ],
      [
        { source: 'LAUNCHPAD', project: '../ubuntu', key: '1' },
        'Invalid Launchpad project "../ubuntu": expected a lower-case name of letters, digits, "+", "-" or ".", such as ubuntu',
      ],
      [
        { source: 'LAUNCHPAD', project: 'ubuntu', key: '1/../../~admin' },
        'Invalid Launchpad bug number "1/../../~admin" in project ubuntu: expected decimal digits without leading zeros, such as 1458945',
      ],
      [
        { source: 'LAUNCHPAD', project: 'ubuntu', key: '0' },
        'Invalid Launchpad bug number "0" in project ubuntu: expected decimal digits without leading zeros, such as 1458945',
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

    it('rejects an API URL with credentials without repeating them', () => {
      const password = 'CANARY-launchpad-password-51c0';
      let message = '';
      try {
        makeAdapter({ apiUrl: `http://user:${password}@127.0.0.1:1/devel` });
      } catch (error: unknown) {
        message = (error as Error).message;
      }
      expect(message).toBe(
        'The Launchpad base URL must not contain a user name or password: remove them and configure credentials separately',
      );
      expect(message).not.toContain(password);
    });

    it('rejects an invalid maxConcurrentRequests', () => {
      expect(() => makeAdapter({ maxConcurrentRequests: 0 })).toThrow(
        'Launchpad adapter option maxConcurrentRequests is 0: expected a whole number, 1 or more',
      );
    });
  });
});

describe('LaunchpadAdapter.checkCredentials', () => {
  it('reports anonymous access', async () => {
    server.route('GET', '/devel/bugs/1', {
      body: readFixture('launchpad/bug-devel.json'),
    });
    const report = await makeAdapter().checkCredentials();
    expect(report).toEqual({
      ok: true,
      summary: `Launchpad at ${server.url}/devel is read anonymously; no credentials are used`,
      warnings: [],
    });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('warns when bug 1 is not found', async () => {
    server.route('GET', '/devel/bugs/1', {
      status: 404,
      headers: { 'content-type': 'text/plain' },
      body: readFixture('launchpad/bug-404-not-found.txt'),
    });
    const report = await makeAdapter().checkCredentials();
    expect(report.ok).toBe(true);
    expect(report.warnings).toEqual([
      'bug 1 was not found, so LAUNCHPAD_API_URL may not point at the Launchpad web service',
    ]);
  });

  it('throws when Launchpad is down', async () => {
    server.route('GET', '/devel/bugs/1', {
      status: 503,
      headers: { 'content-type': 'text/html' },
      body: '<html></html>',
    });
    const error = await rejectionOf(makeAdapter().checkCredentials());
    expect(error.kind).toBe('unavailable');
  });
});
