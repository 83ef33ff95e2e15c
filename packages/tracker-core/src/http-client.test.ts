import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { AxiosError } from 'axios';

import { createHttpClient } from './http-client';
import type { HttpClient } from './http-client';
import {
  classifyHttpError,
  classifyHttpStatus,
  readRetryAfterMs,
  toDisplayUrl,
} from './http-errors';
import { parseJsonBody, sendTrackerRequest } from './http-request';
import { TrackerError } from './tracker-error';

const CANARY_PASSWORD = 'canary-secret-4f9c2d';

type Handler = (
  request: http.IncomingMessage,
  response: http.ServerResponse,
) => void;

interface TestServer {
  url: string;
  port: number;
  connections: number;
  requests: Array<{
    method?: string;
    url?: string;
    headers: http.IncomingHttpHeaders;
  }>;
  close(): Promise<void>;
}

async function startServer(handler: Handler): Promise<TestServer> {
  const server = http.createServer();
  const state: TestServer = {
    url: '',
    port: 0,
    connections: 0,
    requests: [],
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.on('connection', () => {
    state.connections += 1;
  });
  server.on('request', (request, response) => {
    state.requests.push({
      method: request.method,
      url: request.url,
      headers: request.headers,
    });
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}`;

  return state;
}

function contextFor(url: string) {
  return {
    tracker: 'JIRA' as const,
    baseUrl: url,
    credentialHint: 'check JIRA_USERNAME and JIRA_TOKEN',
  };
}

function clientFor(
  url: string,
  overrides: { timeoutMs?: number; maxResponseBytes?: number } = {},
): HttpClient {
  return createHttpClient({
    baseURL: url,
    tracker: 'JIRA',
    timeoutMs: overrides.timeoutMs ?? 2000,
    maxResponseBytes: overrides.maxResponseBytes ?? 1024,
    userAgent: 'issue-sync-test/1.0',
    auth: { username: 'user@example.com', password: CANARY_PASSWORD },
  });
}

async function requestError(
  client: HttpClient,
  url: string,
  path = '/x',
): Promise<TrackerError> {
  try {
    await sendTrackerRequest(client, { url: path }, 'test', contextFor(url));
  } catch (error: unknown) {
    if (error instanceof TrackerError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the request to fail');
}

async function statusError(
  status: number,
  headers: Record<string, string> = {},
): Promise<TrackerError> {
  const server = await startServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'text/plain', ...headers });
    response.end('error body');
  });
  const client = clientFor(server.url);
  try {
    const response = await sendTrackerRequest(
      client,
      { url: '/x' },
      'test',
      contextFor(server.url),
    );
    return classifyHttpStatus(response, contextFor(server.url));
  } finally {
    client.close();
    await server.close();
  }
}

function expectNoSecret(error: Error): void {
  const basic = Buffer.from(`user@example.com:${CANARY_PASSWORD}`).toString(
    'base64',
  );
  for (const text of [
    error.message,
    String(error.stack),
    JSON.stringify(error),
  ]) {
    expect(text).not.toContain(CANARY_PASSWORD);
    expect(text).not.toContain(basic);
  }
  expect(error.cause).toBeUndefined();
}

describe('createHttpClient', () => {
  it('sends User-Agent, Accept and basic auth', async () => {
    const server = await startServer((_request, response) => {
      response.end('{}');
    });
    const client = clientFor(server.url);
    try {
      await client.get('/rest/api/3/myself');
      const headers = server.requests[0]?.headers;
      const basic = Buffer.from(`user@example.com:${CANARY_PASSWORD}`).toString(
        'base64',
      );
      expect(server.requests[0]?.url).toBe('/rest/api/3/myself');
      expect(headers?.['user-agent']).toBe('issue-sync-test/1.0');
      expect(headers?.accept).toBe('application/json');
      expect(headers?.authorization).toBe(`Basic ${basic}`);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('returns every status unparsed', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(503, { 'content-type': 'application/json' });
      response.end('{"a":1}');
    });
    const client = clientFor(server.url);
    try {
      const response = await client.get('/x');
      expect(response.status).toBe(503);
      expect(response.data).toBe('{"a":1}');
    } finally {
      client.close();
      await server.close();
    }
  });

  it('does not follow redirects', async () => {
    const target = await startServer((_request, response) => {
      response.end('followed');
    });
    const server = await startServer((_request, response) => {
      response.writeHead(301, { location: `${target.url}/elsewhere` });
      response.end();
    });
    const client = clientFor(server.url);
    try {
      const response = await client.get('/x');
      expect(response.status).toBe(301);
      expect(response.headers.location).toBe(`${target.url}/elsewhere`);
      expect(target.requests).toHaveLength(0);
    } finally {
      client.close();
      await server.close();
      await target.close();
    }
  });

  it('reuses one keep-alive connection for sequential requests', async () => {
    const server = await startServer((_request, response) => {
      response.end('{}');
    });
    const client = clientFor(server.url);
    try {
      await client.get('/a');
      await client.get('/b');
      await client.get('/c');
      expect(server.requests).toHaveLength(3);
      expect(server.connections).toBe(1);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('rejects a base URL with credentials without repeating them', () => {
    expect(() =>
      createHttpClient({
        baseURL: `https://user:${CANARY_PASSWORD}@example.atlassian.net`,
        tracker: 'JIRA',
        timeoutMs: 1000,
        maxResponseBytes: 1000,
        userAgent: 'issue-sync-test/1.0',
      }),
    ).toThrow(
      'The Jira base URL must not contain a user name or password: remove them and configure credentials separately',
    );
  });

  it('rejects invalid options by name', () => {
    const base = {
      baseURL: 'https://example.atlassian.net',
      tracker: 'JIRA' as const,
      timeoutMs: 1000,
      maxResponseBytes: 1000,
      userAgent: 'issue-sync-test/1.0',
    };
    expect(() => createHttpClient({ ...base, timeoutMs: 0 })).toThrow(
      'Jira HTTP client option timeoutMs is 0: expected a positive whole number',
    );
    expect(() => createHttpClient({ ...base, maxResponseBytes: 1.5 })).toThrow(
      'Jira HTTP client option maxResponseBytes is 1.5: expected a positive whole number',
    );
    expect(() => createHttpClient({ ...base, baseURL: 'ftp://x' })).toThrow(
      'Invalid Jira base URL scheme ftp:: use http or https',
    );
    expect(() => createHttpClient({ ...base, baseURL: 'not a url' })).toThrow(
      'Invalid Jira base URL: expected an absolute http or https URL such as https://example.atlassian.net',
    );
    expect(() => createHttpClient({ ...base, userAgent: ' ' })).toThrow(
      'Jira HTTP client option userAgent is empty: pass a product token such as issue-sync/0.1.0',
    );
  });
});

describe('classifyHttpStatus', () => {
  describe('when the tracker answers 5xx', () => {
    it.each([500, 502, 503, 504])(
      'classifies %i as unavailable',
      async (status) => {
        const error = await statusError(status);
        expect(error.kind).toBe('unavailable');
        expect(error.httpStatus).toBe(status);
        expect(error.tracker).toBe('JIRA');
        expect(error.message).toMatch(
          new RegExp(
            `^${status} [A-Za-z ]+ from Jira at http://127\\.0\\.0\\.1:\\d+: the tracker is down or overloaded; try again later$`,
          ),
        );
      },
    );
  });

  describe('when the tracker answers 429', () => {
    it('reads Retry-After in seconds', async () => {
      const error = await statusError(429, { 'retry-after': '30' });
      expect(error.kind).toBe('rate_limited');
      expect(error.retryAfterMs).toBe(30000);
      expect(error.message).toMatch(
        /^429 Too Many Requests from Jira at http:\/\/127\.0\.0\.1:\d+: rate limit reached, retry after 30 s$/,
      );
    });

    it('clamps Retry-After: 0 to one second', async () => {
      const error = await statusError(429, { 'retry-after': '0' });
      expect(error.retryAfterMs).toBe(1000);
    });

    it('reads Retry-After as an HTTP date', async () => {
      const at = new Date(Date.now() + 120_000).toUTCString();
      const error = await statusError(429, { 'retry-after': at });
      expect(error.retryAfterMs).toBeGreaterThan(100_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(120_000);
    });

    it('reads X-RateLimit-Reset in ISO 8601', async () => {
      const at = new Date(Date.now() + 600_000).toISOString();
      const error = await statusError(429, { 'x-ratelimit-reset': at });
      expect(error.retryAfterMs).toBeGreaterThan(590_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(600_000);
    });

    it('leaves retryAfterMs unset without a header', async () => {
      const error = await statusError(429);
      expect(error.kind).toBe('rate_limited');
      expect(error.retryAfterMs).toBeUndefined();
      expect(error.message).toMatch(
        /rate limit reached, wait before trying again$/,
      );
    });
  });

  it('classifies 401 as unauthorized with the credential hint', async () => {
    const error = await statusError(401);
    expect(error.kind).toBe('unauthorized');
    expect(error.message).toMatch(
      /^401 Unauthorized from Jira at http:\/\/127\.0\.0\.1:\d+: check JIRA_USERNAME and JIRA_TOKEN$/,
    );
  });

  it('classifies 403 as forbidden', async () => {
    const error = await statusError(403);
    expect(error.kind).toBe('forbidden');
    expect(error.message).toMatch(
      /^403 Forbidden from Jira at http:\/\/127\.0\.0\.1:\d+: access was denied \(a private project, or an account without permission to read it\)$/,
    );
  });

  it('classifies 403 with Retry-After as rate_limited', async () => {
    const error = await statusError(403, { 'retry-after': '60' });
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(60000);
  });

  it('classifies 404 as not_found', async () => {
    const error = await statusError(404);
    expect(error.kind).toBe('not_found');
    expect(error.message).toMatch(
      /^404 Not Found from Jira at http:\/\/127\.0\.0\.1:\d+: the resource does not exist; check JIRA_BASE_URL$/,
    );
  });

  it('classifies 410 as not_configured', async () => {
    const error = await statusError(410);
    expect(error.kind).toBe('not_configured');
    expect(error.message).toMatch(
      /^410 Gone from Jira at http:\/\/127\.0\.0\.1:\d+: the endpoint was removed; change JIRA_BASE_URL or move to a version of issue-sync that uses the tracker's current API$/,
    );
  });

  it('classifies an unexpected 4xx as invalid_response', async () => {
    const error = await statusError(400);
    expect(error.kind).toBe('invalid_response');
    expect(error.message).toMatch(
      /^400 Bad Request from Jira at .+: the tracker rejected the request$/,
    );
  });

  it('classifies an unfollowed redirect as invalid_response', async () => {
    const error = await statusError(302, { location: 'http://127.0.0.2/' });
    expect(error.kind).toBe('invalid_response');
    expect(error.message).toMatch(
      /^302 Found from Jira at .+: redirects are not followed; check JIRA_BASE_URL$/,
    );
  });
});

describe('classifyHttpError', () => {
  it('reports a silent server as timeout', async () => {
    const server = await startServer(() => {
      // Intentionally never responds.
    });
    const client = clientFor(server.url, { timeoutMs: 200 });
    try {
      const error = await requestError(client, server.url);
      expect(error.kind).toBe('network');
      expect(error.message).toBe(
        `Request to Jira at ${server.url} timed out after 200 ms: check that the tracker is up and reachable, or raise TRACKER_TIMEOUT_MS`,
      );
      expectNoSecret(error);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('bounds a trickling body by the timeout', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => response.write(' '), 50);
      response.on('close', () => clearInterval(timer));
    });
    const client = clientFor(server.url, {
      timeoutMs: 300,
      maxResponseBytes: 1_000_000,
    });
    try {
      const startedAt = Date.now();
      const error = await requestError(client, server.url);
      expect(error.kind).toBe('network');
      expect(error.message).toBe(
        `Request to Jira at ${server.url} timed out after 300 ms: check that the tracker is up and reachable, or raise TRACKER_TIMEOUT_MS`,
      );
      expect(Date.now() - startedAt).toBeLessThan(2000);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('reports a reset connection as network', async () => {
    const server = await startServer((request) => {
      request.socket.destroy();
    });
    const client = clientFor(server.url);
    try {
      const error = await requestError(client, server.url);
      expect(error.kind).toBe('network');
      expect(error.message).toBe(
        `The connection to Jira at ${server.url} was closed before the response ended (ECONNRESET): check the tracker's status and any proxy in between`,
      );
      expectNoSecret(error);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('reports a body cut off after 200 as network', async () => {
    const server = await startServer((request, response) => {
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': '1000',
      });
      response.write('{"issues": [');
      setTimeout(() => request.socket.destroy(), 20);
    });
    const client = clientFor(server.url);
    try {
      const error = await requestError(client, server.url);
      expect(error.kind).toBe('network');
      expect(error.message).toMatch(
        /^The connection to Jira at http:\/\/127\.0\.0\.1:\d+ was closed before the response ended \((ECONNRESET|ERR_BAD_RESPONSE)\): check the tracker's status and any proxy in between$/,
      );
      expectNoSecret(error);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('classifies an axios status error', () => {
    const axiosError = new AxiosError(
      'Request failed with status code 503',
      'ERR_BAD_RESPONSE',
      undefined,
      undefined,
      {
        status: 503,
        statusText: 'Service Unavailable',
        headers: {},
        config: {} as never,
        data: '',
      },
    );
    const error = classifyHttpError(
      axiosError,
      contextFor('http://127.0.0.1:1'),
    );
    expect(error.kind).toBe('unavailable');
    expect(error.httpStatus).toBe(503);
  });

  it('reports a closed port as connection refused', async () => {
    const server = await startServer(() => undefined);
    const url = server.url;
    await server.close();
    const client = clientFor(url);
    try {
      const error = await requestError(client, url);
      expect(error.kind).toBe('network');
      expect(error.message).toBe(
        `Jira at ${url} refused the connection (ECONNREFUSED): check JIRA_BASE_URL and that the tracker is running`,
      );
      expectNoSecret(error);
    } finally {
      client.close();
    }
  });

  it('reports an oversize body as invalid_response', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`"${'x'.repeat(5000)}"`);
    });
    const client = clientFor(server.url, { maxResponseBytes: 1024 });
    try {
      const error = await requestError(client, server.url);
      expect(error.kind).toBe('invalid_response');
      expect(error.message).toBe(
        `Response from Jira at ${server.url} is larger than 1024 bytes: raise TRACKER_MAX_RESPONSE_BYTES if such answers are expected`,
      );
      expectNoSecret(error);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('reports an oversize chunked body as invalid_response', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('x'.repeat(800));
      response.end('x'.repeat(800));
    });
    const client = clientFor(server.url, { maxResponseBytes: 1024 });
    try {
      const error = await requestError(client, server.url);
      expect(error.kind).toBe('invalid_response');
    } finally {
      client.close();
      await server.close();
    }
  });

  it.each([
    [
      'ENOTFOUND',
      'The host of Jira at https://example.atlassian.net could not be resolved (ENOTFOUND): check JIRA_BASE_URL and DNS',
    ],
    [
      'EAI_AGAIN',
      'The host of Jira at https://example.atlassian.net could not be resolved (EAI_AGAIN): check JIRA_BASE_URL and DNS',
    ],
    [
      'ETIMEDOUT',
      'Request to Jira at https://example.atlassian.net timed out after 1500 ms: check that the tracker is up and reachable, or raise TRACKER_TIMEOUT_MS',
    ],
    [
      'ECONNABORTED',
      'Request to Jira at https://example.atlassian.net timed out after 1500 ms: check that the tracker is up and reachable, or raise TRACKER_TIMEOUT_MS',
    ],
    [
      'EHOSTUNREACH',
      'Request to Jira at https://example.atlassian.net failed (EHOSTUNREACH): check JIRA_BASE_URL and the network between this host and the tracker',
    ],
  ])('classifies axios code %s as network', (code, message) => {
    const axiosError = new AxiosError('failed', code, {
      timeout: 1500,
      headers: { Authorization: `Basic ${CANARY_PASSWORD}` },
    } as never);
    const error = classifyHttpError(axiosError, {
      tracker: 'JIRA',
      baseUrl: `https://user:${CANARY_PASSWORD}@example.atlassian.net/?token=${CANARY_PASSWORD}`,
      credentialHint: 'check JIRA_USERNAME and JIRA_TOKEN',
    });
    expect(error.kind).toBe('network');
    expect(error.message).toBe(message);
    expectNoSecret(error);
  });

  it('passes a TrackerError through unchanged', () => {
    const original = new TrackerError('not_found', 'JIRA', 'gone');
    expect(classifyHttpError(original, contextFor('http://x'))).toBe(original);
  });

  it('classifies an unknown error without repeating its text', () => {
    const error = classifyHttpError(
      new Error(`boom ${CANARY_PASSWORD}`),
      contextFor('http://127.0.0.1:1'),
    );
    expect(error.kind).toBe('network');
    expect(error.message).toBe(
      'Request to Jira at http://127.0.0.1:1 failed (ERR_UNKNOWN): check JIRA_BASE_URL and the network between this host and the tracker',
    );
    expectNoSecret(error);
  });
});

describe('readRetryAfterMs', () => {
  const now = Date.parse('2025-01-01T10:00:00Z');

  it('prefers Retry-After over X-RateLimit-Reset', () => {
    expect(
      readRetryAfterMs(
        { 'Retry-After': '5', 'X-RateLimit-Reset': '2025-01-01T11:00Z' },
        now,
      ),
    ).toBe(5000);
  });

  it('reads a Jira reset time without seconds', () => {
    expect(
      readRetryAfterMs({ 'X-RateLimit-Reset': '2025-01-01T10:05Z' }, now),
    ).toBe(300_000);
  });

  it('reads an epoch-seconds reset time', () => {
    expect(
      readRetryAfterMs({ 'x-ratelimit-reset': String(now / 1000 + 90) }, now),
    ).toBe(90_000);
  });

  it('clamps a past reset to one second', () => {
    expect(
      readRetryAfterMs({ 'x-ratelimit-reset': '2024-12-31T10:00Z' }, now),
    ).toBe(1000);
  });

  it('ignores unparsable values', () => {
    expect(readRetryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
  });
});

describe('toDisplayUrl', () => {
  it('drops credentials, query and fragment', () => {
    expect(
      toDisplayUrl('https://u:p@example.atlassian.net/jira/?token=x#y'),
    ).toBe('https://example.atlassian.net/jira');
  });

  it('hides text that is not a URL', () => {
    expect(toDisplayUrl('secret text')).toBe('(an invalid URL)');
  });
});

describe('sendTrackerRequest', () => {
  it('reports requests to observer and log', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(503);
      response.end('<html>down</html>');
    });
    const client = clientFor(server.url);
    const events: unknown[] = [];
    const lines: unknown[] = [];
    try {
      const response = await sendTrackerRequest(
        client,
        { url: '/x' },
        'search/jql',
        {
          ...contextFor(server.url),
          observer: { onRequest: (event) => events.push(event) },
          logger: {
            debug: (message, meta) => lines.push([message, meta]),
            info: () => undefined,
            warn: () => undefined,
          },
        },
      );
      expect(response.status).toBe(503);
      expect(events).toEqual([
        {
          tracker: 'JIRA',
          endpoint: 'search/jql',
          durationMs: expect.any(Number),
          httpStatus: 503,
          errorKind: 'unavailable',
        },
      ]);
      expect(lines).toEqual([
        [
          'tracker request finished',
          {
            tracker: 'JIRA',
            endpoint: 'search/jql',
            durationMs: expect.any(Number),
            httpStatus: 503,
            errorKind: 'unavailable',
          },
        ],
      ]);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('keeps the response when the observer throws', async () => {
    const server = await startServer((_request, response) => {
      response.end('{}');
    });
    const client = clientFor(server.url);
    try {
      const response = await sendTrackerRequest(client, { url: '/x' }, 'x', {
        ...contextFor(server.url),
        observer: {
          onRequest: () => {
            throw new Error('observer bug');
          },
        },
      });
      expect(response.status).toBe(200);
    } finally {
      client.close();
      await server.close();
    }
  });
});

describe('parseJsonBody', () => {
  it('rejects malformed JSON as invalid_response', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"issues": [');
    });
    const client = clientFor(server.url);
    try {
      const response = await client.get<string>('/x');
      expect(() =>
        parseJsonBody(response, contextFor(server.url), 'the search result'),
      ).toThrow(
        new TrackerError(
          'invalid_response',
          'JIRA',
          `Jira at ${server.url} sent the search result that is not valid JSON (HTTP 200, content type application/json, 12 characters)`,
        ),
      );
    } finally {
      client.close();
      await server.close();
    }
  });

  it('returns the parsed value', async () => {
    const server = await startServer((_request, response) => {
      response.end('{"isLast":true}');
    });
    const client = clientFor(server.url);
    try {
      const response = await client.get<string>('/x');
      expect(parseJsonBody(response, contextFor(server.url), 'x')).toEqual({
        isLast: true,
      });
    } finally {
      client.close();
      await server.close();
    }
  });
});
