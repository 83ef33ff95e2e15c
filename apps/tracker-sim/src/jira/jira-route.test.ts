import { startSimulator, type Simulator } from '../simulator';
import { send, type HttpResponse } from '../testing/http-client';
import type { SimIssue } from '../types';

const USER = { username: 'sync@example.com', token: 'jira-api-token' };
const BASIC = `Basic ${Buffer.from(`${USER.username}:${USER.token}`).toString('base64')}`;
const ISSUE_EXPAND =
  'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations';

const ISSUES: SimIssue[] = [
  {
    source: 'jira',
    project: 'SEN',
    key: '5',
    title: 'example summary',
    status: 'To Do',
    statusCategory: 'new',
  },
  {
    source: 'jira',
    project: 'SEN',
    key: '6',
    title: 'improve the page load performance',
    status: 'Done',
    statusCategory: 'done',
    labels: ['backend', 'performance'],
  },
  {
    source: 'jira',
    project: 'APP',
    key: '123',
    title: 'moved summary',
    status: 'In Progress',
    movedTo: 'PLATFORM-45',
  },
  {
    source: 'jira',
    project: 'ABC',
    key: '1',
    title: 'First',
    status: 'To Do',
    labels: ['sync'],
  },
  {
    source: 'jira',
    project: 'ABC',
    key: '2',
    title: 'Second',
    status: 'In Progress',
  },
  {
    source: 'jira',
    project: 'ABC',
    key: '3',
    title: 'Third',
    status: 'In Review',
  },
];

describe('Jira endpoints', () => {
  let sim: Simulator;

  const get = (
    path: string,
    headers: Record<string, string> = { authorization: BASIC },
  ) => send(`${sim.jiraBaseUrl}${path}`, { headers });
  const api = (): string => `${sim.jiraBaseUrl}/rest/api/3`;

  beforeEach(async () => {
    sim = await startSimulator({ issues: ISSUES, jiraUser: USER });
  });

  afterEach(async () => {
    await sim.close();
  });

  describe('GET /rest/api/3/issue/{key}', () => {
    it('returns a to-do issue with the requested fields', async () => {
      const response = await get(
        '/rest/api/3/issue/SEN-5?fields=summary,status,labels,resolution',
      );

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe(
        'application/json;charset=UTF-8',
      );
      expect(response.json).toEqual({
        expand: ISSUE_EXPAND,
        id: '10001',
        self: `${api()}/issue/10001`,
        key: 'SEN-5',
        fields: {
          summary: 'example summary',
          status: {
            self: `${api()}/status/10000`,
            description: '',
            iconUrl: `${sim.jiraBaseUrl}/`,
            name: 'To Do',
            id: '10000',
            statusCategory: {
              self: `${api()}/statuscategory/2`,
              id: 2,
              key: 'new',
              colorName: 'blue-gray',
              name: 'To Do',
            },
          },
          labels: [],
          resolution: null,
        },
      });
    });

    it('returns a done issue with its resolution', async () => {
      const response = await get(
        '/rest/api/3/issue/sen-6?fields=summary,status,labels,resolution',
      );

      expect(response.json).toEqual({
        expand: ISSUE_EXPAND,
        id: '10002',
        self: `${api()}/issue/10002`,
        key: 'SEN-6',
        fields: {
          summary: 'improve the page load performance',
          status: {
            self: `${api()}/status/10002`,
            description: '',
            iconUrl: `${sim.jiraBaseUrl}/`,
            name: 'Done',
            id: '10002',
            statusCategory: {
              self: `${api()}/statuscategory/3`,
              id: 3,
              key: 'done',
              colorName: 'green',
              name: 'Done',
            },
          },
          labels: ['backend', 'performance'],
          resolution: {
            self: `${api()}/resolution/10000`,
            id: '10000',
            description: 'Work has been completed on this issue.',
            name: 'Done',
          },
        },
      });
    });

    it('returns only the requested fields', async () => {
      const response = await get(
        '/rest/api/3/issue/SEN-6?fields=summary&fields=labels',
      );

      expect((response.json as { fields: unknown }).fields).toEqual({
        summary: 'improve the page load performance',
        labels: ['backend', 'performance'],
      });
    });

    it('returns the new key for an old key', async () => {
      const response = await get(
        '/rest/api/3/issue/APP-123?fields=summary,status',
      );
      const body = response.json as {
        key: string;
        fields: { status: { name: string; statusCategory: { key: string } } };
      };

      expect(response.status).toBe(200);
      expect(body.key).toBe('PLATFORM-45');
      expect(body.fields.status.name).toBe('In Progress');
      expect(body.fields.status.statusCategory.key).toBe('indeterminate');
    });

    it('finds a moved issue by its new key', async () => {
      const response = await get(
        '/rest/api/3/issue/PLATFORM-45?fields=summary',
      );

      expect(response.json).toMatchObject({
        key: 'PLATFORM-45',
        fields: { summary: 'moved summary' },
      });
    });

    it('returns the 404 body for a missing issue', async () => {
      const response = await get('/rest/api/3/issue/SEN-999');

      expect(response.status).toBe(404);
      expect(response.text).toBe(
        '{"errorMessages":["Issue does not exist or you do not have permission to see it."],"errors":{}}',
      );
    });
  });

  describe('credentials', () => {
    it('rejects a wrong token with plain-text 401', async () => {
      const wrong = `Basic ${Buffer.from(`${USER.username}:nope`).toString('base64')}`;
      const response = await get('/rest/api/3/myself', {
        authorization: wrong,
      });

      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toBe(
        'text/plain; charset=utf-8',
      );
      expect(response.text).toBe(
        'Basic authentication with passwords is deprecated. For more information, see: https://developer.atlassian.com/cloud/confluence/deprecation-notice-basic-auth/',
      );
      expect(response.headers['x-seraph-loginreason']).toBe(
        'AUTHENTICATED_FAILED',
      );
    });

    it('rejects missing credentials with JSON 401', async () => {
      const response = await get('/rest/api/3/issue/SEN-5', {});

      expect(response.status).toBe(401);
      expect(response.text).toBe(
        '{"message":"Client must be authenticated to access this resource.","status-code":401}',
      );
    });

    it('returns myself for the configured account', async () => {
      const response = await get('/rest/api/3/myself');
      const body = response.json as Record<string, unknown>;

      expect(response.status).toBe(200);
      expect(body.emailAddress).toBe('sync@example.com');
      expect(body.displayName).toBe('Simulated User');
      expect(body.accountId).toMatch(/^557058:[0-9a-f]{32}$/);
      expect(body.self).toBe(
        `${api()}/user?accountId=${String(body.accountId)}`,
      );
      expect(body.active).toBe(true);
    });
  });

  describe('removed search endpoints', () => {
    it.each(['/rest/api/3/search', '/rest/api/2/search'])(
      'returns 410 for %s',
      async (path) => {
        const response = await get(`${path}?jql=key%3DSEN-5`);

        expect(response.status).toBe(410);
        expect(response.json).toEqual({
          errorMessages: [
            'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046',
          ],
          errors: {},
        });
      },
    );
  });

  describe('search/jql', () => {
    const search = (body: object): Promise<HttpResponse> =>
      send(`${api()}/search/jql`, {
        method: 'POST',
        headers: { authorization: BASIC },
        body,
      });

    it('returns a page with the requested fields', async () => {
      const response = await search({
        jql: 'key in (ABC-1, ABC-2)',
        fields: ['summary', 'status', 'labels', 'resolution'],
      });

      expect(response.status).toBe(200);
      expect(response.json).toEqual({
        issues: [
          {
            expand: '',
            id: '10004',
            self: `${api()}/issue/10004`,
            key: 'ABC-1',
            fields: {
              summary: 'First',
              status: {
                self: `${api()}/status/10000`,
                description: '',
                iconUrl: `${sim.jiraBaseUrl}/`,
                name: 'To Do',
                id: '10000',
                statusCategory: {
                  self: `${api()}/statuscategory/2`,
                  id: 2,
                  key: 'new',
                  colorName: 'blue-gray',
                  name: 'To Do',
                },
              },
              labels: ['sync'],
              resolution: null,
            },
          },
          {
            expand: '',
            id: '10005',
            self: `${api()}/issue/10005`,
            key: 'ABC-2',
            fields: {
              summary: 'Second',
              status: {
                self: `${api()}/status/3`,
                description: '',
                iconUrl: `${sim.jiraBaseUrl}/`,
                name: 'In Progress',
                id: '3',
                statusCategory: {
                  self: `${api()}/statuscategory/4`,
                  id: 4,
                  key: 'indeterminate',
                  colorName: 'yellow',
                  name: 'In Progress',
                },
              },
              labels: [],
              resolution: null,
            },
          },
        ],
        isLast: true,
      });
    });

    it('returns only ids when no fields are requested', async () => {
      const response = await get(
        `/rest/api/3/search/jql?jql=${encodeURIComponent('key = ABC-3')}`,
      );

      expect(response.json).toEqual({
        issues: [{ id: '10006' }],
        isLast: true,
      });
    });

    it('leaves out missing keys without an error', async () => {
      const response = await search({
        jql: 'key in (ABC-1, ABC-999)',
        fields: ['summary'],
      });
      const body = response.json as {
        issues: Array<{ key: string }>;
        isLast: boolean;
      };

      expect(response.status).toBe(200);
      expect(body.issues.map((issue) => issue.key)).toEqual(['ABC-1']);
      expect(body.isLast).toBe(true);
      expect('nextPageToken' in body).toBe(false);
    });

    it('pages with nextPageToken until isLast', async () => {
      const jql = 'key in (ABC-3, ABC-1, ABC-2) ORDER BY key DESC';
      const keys: string[][] = [];
      const lasts: boolean[] = [];
      let nextPageToken: string | undefined;
      for (let page = 0; page < 5; page += 1) {
        const response = await search({
          jql,
          fields: ['summary'],
          maxResults: 2,
          nextPageToken,
        });
        const body = response.json as {
          issues: Array<{ key: string }>;
          isLast: boolean;
          nextPageToken?: string;
        };
        keys.push(body.issues.map((issue) => issue.key));
        lasts.push(body.isLast);
        if (body.isLast) {
          expect(body.nextPageToken).toBeUndefined();
          break;
        }
        expect(typeof body.nextPageToken).toBe('string');
        nextPageToken = body.nextPageToken;
      }

      expect(keys).toEqual([['ABC-3', 'ABC-2'], ['ABC-1']]);
      expect(lasts).toEqual([false, true]);
    });

    it('rejects a page token of another query', async () => {
      const first = await search({
        jql: 'key in (ABC-1, ABC-2)',
        maxResults: 1,
      });
      const token = (first.json as { nextPageToken: string }).nextPageToken;
      const response = await search({
        jql: 'key in (ABC-1, ABC-3)',
        nextPageToken: token,
      });

      expect(response.status).toBe(400);
      expect(response.json).toEqual({
        errorMessages: [
          'The nextPageToken is invalid or does not belong to this JQL query.',
        ],
        errors: {},
      });
    });

    it('finds a moved issue by its old key and returns the new key', async () => {
      const response = await search({
        jql: 'key in (APP-123, PLATFORM-45)',
        fields: ['summary'],
      });

      expect((response.json as { issues: unknown[] }).issues).toEqual([
        {
          expand: '',
          id: '10003',
          self: `${api()}/issue/10003`,
          key: 'PLATFORM-45',
          fields: { summary: 'moved summary' },
        },
      ]);
    });

    it('rejects JQL it cannot run with a 400 errorMessages body', async () => {
      const response = await search({ jql: 'project = ABC' });

      expect(response.status).toBe(400);
      expect(response.json).toEqual({
        errorMessages: [
          'Field \'project\' is not supported by tracker-sim, which runs only "key = X" and "key in (X, Y)" with an optional ORDER BY key.',
        ],
        warningMessages: [],
      });
    });

    it('rejects unbounded JQL', async () => {
      const response = await get('/rest/api/3/search/jql?jql=order%20by%20key');

      expect(response.status).toBe(400);
      expect(
        (response.json as { errorMessages: string[] }).errorMessages,
      ).toEqual([
        'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
      ]);
    });
  });
});

describe('Jira request rate limit', () => {
  it('returns 429 with Retry-After past the budget', async () => {
    const sim = await startSimulator({
      issues: ISSUES,
      jiraRequestsPerSecond: 2,
    });
    try {
      const path = `${sim.jiraBaseUrl}/rest/api/3/issue/SEN-5`;
      const responses = [await send(path), await send(path), await send(path)];

      expect(responses.map((response) => response.status)).toEqual([
        200, 200, 429,
      ]);
      const limited = responses[2]!;
      expect(limited.headers['content-type']).toBe('text/html;charset=UTF-8');
      expect(limited.text).toContain(
        '<title>Oops - an error has occurred</title>',
      );
      expect(limited.headers['retry-after']).toBe('1');
      expect(limited.headers['x-ratelimit-limit']).toBe('2');
      expect(limited.headers['x-ratelimit-remaining']).toBe('0');
      expect(limited.headers['ratelimit-reason']).toBe('jira-quota-based');
      const reset = Date.parse(String(limited.headers['x-ratelimit-reset']));
      expect(reset).toBeGreaterThan(Date.now() - 1000);
      expect(reset).toBeLessThanOrEqual(Date.now() + 1000);
      expect(sim.stats().jira.rateLimited).toBe(1);
    } finally {
      await sim.close();
    }
  });
});
