import {
  AppProcess,
  createTestDatabase,
  uniquePrefix,
  type TestDatabase,
} from '@issue-sync/test-support';
import { appEnvironment } from './environment';
import {
  MEBIBYTE,
  expectedMessage,
  hostileLines,
  validLines,
} from './hostile-lines';

const USERNAME = 'operator';
const PASSWORD = 'dashboard-canary-password-0003';
const AUTHORIZATION = `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`;
// The dashboard never calls a tracker to register an issue; nothing listens
// on this port.
const JIRA_BASE_URL = 'http://127.0.0.1:9/jira';
const UNSUPPORTED_TYPE =
  'Unsupported Content-Type: send the body as JSON with Content-Type: application/json';

interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

describe('dashboard POST /api/issues', () => {
  let db: TestDatabase;
  let dashboard: AppProcess;
  let endpoint: string;

  const post = async (
    body: string | Uint8Array,
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ): Promise<ApiAnswer> => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { authorization: AUTHORIZATION, ...headers },
      body,
    });

    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
    };
  };

  const countIssues = async (): Promise<number> => {
    const rows = await db.query<{ count: string }>(
      'SELECT count(*) FROM issue',
    );
    return Number(rows[0]!.count);
  };

  beforeAll(async () => {
    db = await createTestDatabase('hostile_api');
    dashboard = new AppProcess(
      'dashboard',
      appEnvironment(
        db.url,
        uniquePrefix('hostile-api'),
        {
          githubApiUrl: 'http://127.0.0.1:9/github',
          jiraBaseUrl: JIRA_BASE_URL,
          launchpadApiUrl: 'http://127.0.0.1:9/launchpad/devel',
        },
        {
          DASHBOARD_HOST: '127.0.0.1',
          DASHBOARD_PORT: '0',
          DASHBOARD_USERNAME: USERNAME,
          DASHBOARD_PASSWORD: PASSWORD,
        },
      ),
    );
    const listening = await dashboard.waitForLog(
      (line) => line.message === 'dashboard listening',
    );
    endpoint = `${String(listening.url)}api/issues`;
  });

  afterAll(async () => {
    await dashboard?.stop();
    await db?.drop();
  });

  describe('when the URL is hostile', () => {
    const cases = hostileLines(JIRA_BASE_URL).filter(
      (hostile) => hostile.line.length < MEBIBYTE,
    );

    it.each(cases.map((hostile) => [hostile.name, hostile] as const))(
      'rejects %s with 400',
      async (_name, hostile) => {
        const body = Buffer.isBuffer(hostile.line)
          ? Buffer.concat([
              Buffer.from('{"url": "'),
              hostile.line,
              Buffer.from('"}'),
            ])
          : JSON.stringify({ url: hostile.line });

        const answer = await post(body);

        expect(answer).toEqual({
          status: 400,
          body: { error: expectedMessage(hostile, JIRA_BASE_URL) },
        });
      },
    );

    it('rejects a megabyte URL with 413', async () => {
      const answer = await post(
        JSON.stringify({
          url: `https://github.com/canonical/checkbox/issues/${'1'.repeat(MEBIBYTE)}`,
        }),
      );

      expect(answer).toEqual({
        status: 413,
        body: {
          error:
            'Request body is larger than 16384 bytes: send only a small JSON object such as {"url": "https://github.com/owner/repo/issues/1"}',
        },
      });
    });

    it('rejects a URL longer than 2048 characters with 400', async () => {
      const answer = await post(
        JSON.stringify({
          url: `https://github.com/canonical/checkbox/issues/${'1'.repeat(3000)}`,
        }),
      );

      expect(answer).toEqual({
        status: 400,
        body: {
          error:
            'Field "url" is longer than 2048 characters: send the URL of one issue',
        },
      });
    });

    it('registers none of them', async () => {
      expect(await countIssues()).toBe(0);
    });
  });

  describe('when the body is not declared as JSON', () => {
    const url = 'https://github.com/canonical/checkbox/issues/77';

    it.each([
      ['text/plain', JSON.stringify({ url })],
      ['text/json', JSON.stringify({ url })],
      ['application/jsonp', JSON.stringify({ url })],
      ['application/x-www-form-urlencoded', `url=${encodeURIComponent(url)}`],
      ['multipart/form-data; boundary=x', `--x\r\n\r\n${url}\r\n--x--\r\n`],
    ])('rejects %s with 415', async (contentType, body) => {
      const answer = await post(body, { 'content-type': contentType });

      expect(answer).toEqual({
        status: 415,
        body: { error: UNSUPPORTED_TYPE },
      });
    });

    it('rejects a body without Content-Type with 415', async () => {
      const answer = await post(Buffer.from(JSON.stringify({ url })), {});

      expect(answer).toEqual({
        status: 415,
        body: { error: UNSUPPORTED_TYPE },
      });
    });

    it('registers nothing', async () => {
      expect(await countIssues()).toBe(0);
    });
  });

  describe('when the URL is valid', () => {
    const valid = validLines(JIRA_BASE_URL);

    it('registers each issue once', async () => {
      for (const line of valid) {
        const answer = await post(JSON.stringify({ url: line.line }), {
          'content-type': 'application/json; charset=utf-8',
        });
        const registered = {
          source: answer.body.source,
          project: answer.body.project,
          key: answer.body.key,
        };

        expect(registered).toEqual({
          source: line.source,
          project: line.project,
          key: line.key,
        });
        expect(answer.status).toBe(201);
      }
      const again = await post(JSON.stringify({ url: valid[0]!.line }));
      expect(again.status).toBe(200);

      const rows = await db.query<{
        source: string;
        project: string;
        key: string;
      }>(
        'SELECT source, project, key FROM issue ORDER BY source, project, key::bigint',
      );
      expect(
        rows.map((row) => `${row.source} ${row.project} ${row.key}`),
      ).toEqual([
        'GITHUB canonical/checkbox 1',
        'GITHUB canonical/checkbox 2',
        'GITHUB canonical/checkbox 2147483647',
        'GITHUB octo-org/octo.repo_x-1 3',
        'JIRA DEMO 10',
        'JIRA DEMO 12',
        'JIRA OPS_2 11',
        'LAUNCHPAD checkbox-ng 2000003',
        'LAUNCHPAD ubuntu 2000001',
        'LAUNCHPAD ubuntu 2000002',
      ]);
    });
  });
});
