import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { FakeGithub, replay, type FakeResponse } from './testing/fake-github';
import {
  TEST_TOKEN,
  createHarness,
  githubRef,
  settle,
  type AdapterHarness,
} from './testing/harness';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

// Collects every string reachable from a value, including the message,
// stack and cause of errors, which JSON.stringify leaves out.
function collectStrings(value: unknown, seen = new Set<unknown>()): string[] {
  if (typeof value === 'string') {
    return [value];
  }
  if (typeof value !== 'object' || value === null || seen.has(value)) {
    return [];
  }
  seen.add(value);

  const strings: string[] = [];
  if (value instanceof Error) {
    strings.push(value.message, value.stack ?? '', String(value));
    strings.push(...collectStrings(value.cause, seen));
  }
  for (const key of Object.getOwnPropertyNames(value)) {
    strings.push(
      ...collectStrings((value as Record<string, unknown>)[key], seen),
    );
  }

  return strings;
}

describe('GithubAdapter secrets', () => {
  let github: FakeGithub;
  let harness: AdapterHarness;

  beforeEach(async () => {
    github = await FakeGithub.start(TEST_TOKEN, [
      { project: 'owner/repo', number: 1, title: 'One', state: 'OPEN' },
      { project: 'owner/repo', number: 2, title: 'Two', state: 'OPEN' },
    ]);
    harness = createHarness(github.apiUrl, { timeoutMs: 300 });
  });

  afterEach(async () => {
    await harness.adapter.close();
    await github.close();
  });

  const failures: Array<[string, FakeResponse]> = [
    ['401', replay('graphql-401-bad-credentials')],
    [
      '403 echoing the token',
      {
        status: 403,
        headers: JSON_HEADERS,
        body: JSON.stringify({
          message: `token ${TEST_TOKEN} may not read this`,
        }),
      },
    ],
    [
      'rate limit echoing the token',
      {
        status: 200,
        headers: JSON_HEADERS,
        body: JSON.stringify({
          errors: [{ type: 'RATE_LIMIT', message: `limit for ${TEST_TOKEN}` }],
        }),
      },
    ],
    [
      'query error echoing the token',
      {
        status: 200,
        headers: JSON_HEADERS,
        body: JSON.stringify({
          errors: [{ message: `bad query from ${TEST_TOKEN}` }],
        }),
      },
    ],
    ['secondary rate limit', replay('secondary-rate-limit-403')],
    ['503', { status: 503, headers: JSON_HEADERS, body: '{}' }],
    [
      'malformed body',
      { status: 200, headers: JSON_HEADERS, body: '{"data":' },
    ],
    ['dropped connection', { status: 200, destroy: true }],
    ['timeout', { ...replay('graphql-query-ok'), delayMs: 600 }],
  ];

  it.each(failures)(
    'keeps the token out of the error and the log on %s',
    async (_name, answer) => {
      github.intercept(() => answer);

      const results = await Promise.all(
        [1, 2].map((n) =>
          settle(harness.adapter.fetchIssue(githubRef('owner/repo', n))),
        ),
      );

      for (const result of results) {
        expect(result).toBeInstanceOf(Error);
        for (const text of collectStrings(result)) {
          expect(text).not.toContain(TEST_TOKEN);
        }
      }
      expect(harness.logs.length).toBeGreaterThan(0);
      for (const text of collectStrings(harness.logs)) {
        expect(text).not.toContain(TEST_TOKEN);
      }
    },
  );

  it('cuts the token out of server text in messages', async () => {
    github.intercept(() => failures[1]?.[1]);

    const error = (await settle(
      harness.adapter.fetchIssue(githubRef('owner/repo', 1)),
    )) as Error;

    expect(error.message).toContain('token [REDACTED] may not read this');
  });

  it('keeps the token out of errors and logs of a transfer lookup', async () => {
    github.transfers.set('owner/repo#1', 'owner/repo#2');

    const snapshot = await harness.adapter.fetchIssue(
      githubRef('owner/repo', 1),
    );

    expect(snapshot.movedTo).toEqual({
      source: 'GITHUB',
      project: 'owner/repo',
      key: '2',
    });
    for (const text of collectStrings(harness.logs)) {
      expect(text).not.toContain(TEST_TOKEN);
    }
  });

  it('sends nothing to another host', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const other = http.createServer((request, response) => {
      seen.push(request.headers);
      response.end('{}');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    github.transfers.set('owner/repo#1', 'owner/repo#2');
    github.intercept((request) =>
      request.method === 'GET'
        ? { status: 302, headers: { location: `${otherUrl}/steal` }, body: '' }
        : undefined,
    );

    const result = await settle(
      harness.adapter.fetchIssue(githubRef('owner/repo', 1)),
    );
    other.closeAllConnections();
    await new Promise<void>((resolve) => other.close(() => resolve()));

    expect((result as Error).message).toContain(
      'issue-sync does not send the token there',
    );
    expect(seen).toHaveLength(0);
  });

  it('rejects an apiUrl with credentials without echoing them', () => {
    expect(() =>
      createHarness('https://user:hunter2@github.example/api'),
    ).toThrow(
      'GITHUB_API_URL contains a user name or password: remove them and put the token in GITHUB_TOKEN',
    );
  });
});
