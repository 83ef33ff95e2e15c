import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { graphql } from '@octokit/graphql';
import axios from 'axios';
import { createLogger } from './create-logger';
import { createRedactor, redact } from './redact';

const GITHUB_TOKEN = 'ghp_CanaryGithubToken0123456789abcdefXYZ';
const JIRA_TOKEN = 'ATATT3xCanaryJiraToken9876543210';
const JIRA_USER = 'bot@example.com';
const DB_PASSWORD = 'Canary-db-pw-4711';
const API_KEY = 'canary-api-key-5150';
const UNLISTED_BEARER = 'eyJhbGciOiJIUzI1NiJ9.canaryUnlisted.sig';
const UNLISTED_PASSWORD = 'Unlisted-url-pw-2718';

const SECRETS = [GITHUB_TOKEN, JIRA_TOKEN, DB_PASSWORD];

const CANARIES = [
  GITHUB_TOKEN,
  JIRA_TOKEN,
  DB_PASSWORD,
  API_KEY,
  UNLISTED_BEARER,
  UNLISTED_PASSWORD,
  Buffer.from(`${JIRA_USER}:${JIRA_TOKEN}`).toString('base64'),
  'canaryUnlisted',
];

function setUp() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  const logger = createLogger({ service: 'worker', secrets: SECRETS, stream });
  const output = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return text;
  };

  return { logger, output };
}

function expectNoCanary(text: string) {
  for (const canary of CANARIES) {
    expect(text).not.toContain(canary);
  }
}

function parseLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('logger redaction', () => {
  it('redacts secrets in the message', async () => {
    const { logger, output } = setUp();

    logger.warn(`token ${GITHUB_TOKEN} was rejected`);

    const text = await output();
    expectNoCanary(text);
    expect(parseLines(text)[0]?.message).toBe('token *** was rejected');
  });

  it('redacts secrets in fields and nested objects', async () => {
    const { logger, output } = setUp();

    logger.info('request sent', {
      tracker: 'jira',
      headers: {
        Authorization: `Basic ${Buffer.from(`${JIRA_USER}:${JIRA_TOKEN}`).toString('base64')}`,
        'X-Api-Key': API_KEY,
        Accept: 'application/json',
      },
      nested: { deeper: [{ token: JIRA_TOKEN }, `db ${DB_PASSWORD}`] },
      url: `postgresql://app:${UNLISTED_PASSWORD}@db:5432/issue_sync`,
    });

    const text = await output();
    expectNoCanary(text);
    const [entry] = parseLines(text);
    expect(entry?.tracker).toBe('jira');
    expect(entry?.headers).toEqual({
      Authorization: '***',
      'X-Api-Key': '***',
      Accept: 'application/json',
    });
    expect(entry?.nested).toEqual({
      deeper: [{ token: '***' }, 'db ***'],
    });
    expect(entry?.url).toBe('postgresql://app:***@db:5432/issue_sync');
  });

  it('redacts credentials written inside strings', async () => {
    const { logger, output } = setUp();

    logger.info('copied request', {
      curl: `curl -H "Authorization: Bearer ${UNLISTED_BEARER}" https://x.test/a?access_token=${API_KEY}&page=2`,
      header: `Proxy-Authorization: Basic ${Buffer.from('u:p4ss-w0rd').toString('base64')}`,
    });

    const text = await output();
    expectNoCanary(text);
    const [entry] = parseLines(text);
    expect(entry?.curl).toBe(
      'curl -H "Authorization: ***" https://x.test/a?access_token=***&page=2',
    );
    expect(entry?.header).toBe('Proxy-Authorization: ***');
  });

  it('redacts thrown errors and their causes', async () => {
    const { logger, output } = setUp();
    const cause = new Error(`login with ${JIRA_TOKEN} failed`);
    const err = new Error(`retrying with Bearer ${UNLISTED_BEARER}`, {
      cause,
    });

    logger.error('sync failed', { err });

    const text = await output();
    expectNoCanary(text);
    const [entry] = parseLines(text);
    const logged = entry?.err as Record<string, unknown>;
    expect(logged.message).toBe('retrying with Bearer ***');
    expect((logged.cause as Record<string, unknown>).message).toBe(
      'login with *** failed',
    );
    expect(logged.stack).toContain('retrying with Bearer ***');
  });

  it('handles cycles and caps long strings', async () => {
    const { logger, output } = setUp();
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;

    logger.info('odd values', { loop, long: 'x'.repeat(10_000) });

    const [entry] = parseLines(await output());
    expect(entry?.loop).toEqual({ name: 'loop', self: '[Circular]' });
    expect(entry?.long).toBe(
      `${'x'.repeat(2000)}…[truncated, 10000 characters]`,
    );
  });

  it('hides a secret split by the length cap', () => {
    const text = `${'x'.repeat(64 * 1024 - 10)}${GITHUB_TOKEN}`;

    const redacted = redact(text, [GITHUB_TOKEN]);

    expect(redacted).not.toContain(GITHUB_TOKEN.slice(0, 10));
    expect(redacted).toBe(
      `${'x'.repeat(2000)}…[truncated, ${text.length} characters]`,
    );
  });
});

describe('logger with HTTP client errors', () => {
  let server: Server;
  let baseUrl: string;
  const seenHeaders: IncomingMessage['headers'][] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      seenHeaders.push(request.headers);
      if (request.url?.startsWith('/graphql-not-found')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            data: { issue0: null },
            errors: [
              {
                type: 'NOT_FOUND',
                path: ['issue0'],
                message: 'Could not resolve to an Issue with the number of 9.',
              },
            ],
          }),
        );
        return;
      }

      // A hostile server echoes the credentials back in its error body.
      response.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate': 'Basic realm="jira"',
      });
      response.end(
        JSON.stringify({
          message: 'Bad credentials',
          echoed: request.headers.authorization ?? null,
          apiKey: request.headers['x-api-key'] ?? null,
        }),
      );
    });
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  async function catchError(promise: Promise<unknown>): Promise<Error> {
    try {
      await promise;
    } catch (error) {
      return error as Error;
    }
    throw new Error('the request succeeded');
  }

  it('reduces an axios error with basic auth', async () => {
    const err = await catchError(
      axios.get(`${baseUrl}/rest/api/3/myself?access_token=${API_KEY}`, {
        auth: { username: JIRA_USER, password: JIRA_TOKEN },
        headers: { 'X-Api-Key': API_KEY },
      }),
    );
    const { logger, output } = setUp();

    logger.error('credential check failed', { err });

    expect(seenHeaders.at(-1)?.authorization).toBe(
      `Basic ${Buffer.from(`${JIRA_USER}:${JIRA_TOKEN}`).toString('base64')}`,
    );
    const text = await output();
    expectNoCanary(text);
    const [entry] = parseLines(text);
    const logged = entry?.err as Record<string, unknown>;
    expect(logged.name).toBe('AxiosError');
    expect(logged.message).toBe('Request failed with status code 401');
    expect(logged.code).toBe('ERR_BAD_REQUEST');
    expect(logged.httpStatus).toBe(401);
    expect(logged.method).toBe('GET');
    expect(logged.url).toBe(`${baseUrl}/rest/api/3/myself?access_token=***`);
    expect(logged).not.toHaveProperty('config');
    expect(logged).not.toHaveProperty('request');
    expect(logged).not.toHaveProperty('response');
    expect(text).not.toContain('Bad credentials');
  });

  it('reduces an axios error with a bearer header', async () => {
    const client = axios.create({
      baseURL: `${baseUrl}/github/`,
      headers: { Authorization: `Bearer ${UNLISTED_BEARER}` },
    });
    const err = await catchError(client.post('/graphql', { query: '{}' }));
    const { logger, output } = setUp();

    logger.error('request failed', err);
    logger.child({ tracker: 'github' }).error(err as unknown as string);

    expect(seenHeaders.at(-1)?.authorization).toBe(`Bearer ${UNLISTED_BEARER}`);
    const text = await output();
    expectNoCanary(text);
    const entries = parseLines(text);
    expect(entries).toHaveLength(2);
    expect(entries[0]?.message).toBe('request failed');
    expect(entries[1]?.message).toBe('Request failed with status code 401');
    expect(entries[1]?.tracker).toBe('github');
    for (const entry of entries) {
      const logged = entry.err as Record<string, unknown>;
      expect(logged.httpStatus).toBe(401);
      expect(logged.method).toBe('POST');
      expect(logged.url).toBe(`${baseUrl}/github/graphql`);
      expect(entry).not.toHaveProperty('config');
      expect(entry).not.toHaveProperty('response');
    }
  });

  it('reduces an Octokit GraphqlResponseError', async () => {
    const err = await catchError(
      graphql('query { issue0: viewer { login } }', {
        baseUrl: `${baseUrl}/graphql-not-found`,
        headers: { authorization: `token ${GITHUB_TOKEN}` },
      }),
    );
    const { logger, output } = setUp();

    logger.warn('issue lookup failed', { err });

    expect(
      (err as unknown as { request: { headers: object } }).request.headers,
    ).toHaveProperty('authorization', `token ${GITHUB_TOKEN}`);
    const text = await output();
    expectNoCanary(text);
    const logged = parseLines(text)[0]?.err as Record<string, unknown>;
    expect(logged.name).toBe('GraphqlResponseError');
    expect(logged.method).toBe('POST');
    expect(logged.url).toBe(`${baseUrl}/graphql-not-found/graphql`);
    expect(logged.graphqlErrors).toEqual([
      {
        type: 'NOT_FOUND',
        message: 'Could not resolve to an Issue with the number of 9.',
        path: ['issue0'],
      },
    ]);
  });

  it('reduces an Octokit RequestError', async () => {
    const err = await catchError(
      graphql('query { viewer { login } }', {
        baseUrl: `${baseUrl}/unauthorized`,
        headers: { authorization: `token ${GITHUB_TOKEN}` },
      }),
    );
    const { logger, output } = setUp();

    logger.error('credential check failed', { err });

    const text = await output();
    expectNoCanary(text);
    const logged = parseLines(text)[0]?.err as Record<string, unknown>;
    expect(logged.name).toBe('HttpError');
    expect(logged.httpStatus).toBe(401);
    expect(logged.method).toBe('POST');
    expect(logged.url).toBe(`${baseUrl}/unauthorized/graphql`);
    expect(logged).not.toHaveProperty('request');
    expect(logged).not.toHaveProperty('response');
  });
});

describe('redact', () => {
  it('returns a string for a string', () => {
    expect(redact(`401 with ${JIRA_TOKEN}`, SECRETS)).toBe('401 with ***');
  });

  it('redacts percent-encoded secrets', () => {
    const secret = 'p@ss/word+1';

    expect(
      redact(`https://x.test/?q=${encodeURIComponent(secret)}`, [secret]),
    ).toBe('https://x.test/?q=***');
  });

  it('ignores secrets shorter than four characters', () => {
    expect(redact('the abc of it', ['abc'])).toBe('the abc of it');
  });

  it('keeps ordinary words after basic, bearer and token', () => {
    expect(
      redact('the token expired, so basic authentication failed', []),
    ).toBe('the token expired, so basic authentication failed');
  });

  it.each([
    ['redis://:hunter22@cache:6379/0', 'redis://:***@cache:6379/0'],
    ['https://u:p@ss@host/x', 'https://u:***@host/x'],
    ['Authorization: token ghp_abc123def456', 'Authorization: ***'],
    ['sent token ghp_abc123def456 twice', 'sent token *** twice'],
    ['{"cookie":"session=abc123"}', '{"cookie":"***"}'],
    ['GET /x?api_key=abc&id=2', 'GET /x?api_key=***&id=2'],
  ])('redacts %j', (text, expected) => {
    expect(redact(text, [])).toBe(expected);
  });

  it('copies values without changing them', () => {
    const value = { token: JIRA_TOKEN, when: new Date(0) };

    expect(redact(value, SECRETS)).toEqual({
      token: '***',
      when: '1970-01-01T00:00:00.000Z',
    });
    expect(value.token).toBe(JIRA_TOKEN);
  });
});

describe('createRedactor', () => {
  it('expands an error the way the logger does', () => {
    const redactor = createRedactor(SECRETS);
    const err = Object.assign(new Error(`bad ${GITHUB_TOKEN}`), {
      kind: 'unauthorized',
      httpStatus: 401,
    });

    const expanded = redactor.error(err);

    expect(expanded.name).toBe('Error');
    expect(expanded.message).toBe('bad ***');
    expect(expanded.kind).toBe('unauthorized');
    expect(expanded.httpStatus).toBe(401);
    expect(redactor.text(`x ${DB_PASSWORD}`)).toBe('x ***');
  });
});
