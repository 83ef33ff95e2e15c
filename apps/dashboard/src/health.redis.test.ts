import { createDatabase } from '@issue-sync/db';
import { createDashboardApp } from './dashboard-app';
import { startDashboard } from './dashboard-server';
import {
  request,
  startTestServer,
  type TestServer,
} from './testing/http-client';
import {
  TEST_CREDENTIALS,
  createTestEnvironment,
  type TestEnvironment,
} from './testing/test-environment';
import { createTestLogger } from './testing/test-logger';
import { closedPort, createUnreachableQueues } from './testing/unreachable';

describe('health routes', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await createTestEnvironment();
  });

  afterAll(() => env.close());

  describe('when PostgreSQL and Redis answer', () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startTestServer(
        createDashboardApp({
          config: env.config,
          db: env.db,
          queues: env.queues,
          logger: createTestLogger(),
        }),
      );
    });

    afterAll(() => server.close());

    it('answers /healthz with ok', async () => {
      const response = await request(`${server.origin}/healthz`);
      expect(response.status).toBe(200);
      expect(response.json()).toEqual({ status: 'ok' });
    });

    it('answers /readyz with every check ok', async () => {
      const response = await request(`${server.origin}/readyz`);
      expect(response.status).toBe(200);
      expect(response.json()).toEqual({
        status: 'ok',
        checks: { redis: 'ok', postgres: 'ok' },
      });
    });
  });

  describe('when Redis is unreachable', () => {
    it('answers /readyz with 503 naming Redis', async () => {
      const unreachable = createUnreachableQueues(
        env.config,
        await closedPort(),
      );
      const server = await startTestServer(
        createDashboardApp({
          config: env.config,
          db: env.db,
          queues: unreachable,
          logger: createTestLogger(),
        }),
      );
      try {
        const response = await request(`${server.origin}/readyz`);
        expect(response.status).toBe(503);
        const body = response.json();
        expect(body.status).toBe('unavailable');
        expect(body.checks.postgres).toBe('ok');
        expect(body.checks.redis).toMatch(/^Redis did not answer: \S/);
      } finally {
        await server.close();
        unreachable.connection.disconnect();
      }
    });
  });

  describe('when PostgreSQL is unreachable', () => {
    it('answers /readyz with 503 naming PostgreSQL', async () => {
      const db = createDatabase({
        url: `postgresql://postgres@127.0.0.1:${await closedPort()}/none`,
        poolSize: 1,
        connectionTimeoutMs: 1000,
      });
      const server = await startTestServer(
        createDashboardApp({
          config: env.config,
          db,
          queues: env.queues,
          logger: createTestLogger(),
        }),
      );
      try {
        const response = await request(`${server.origin}/readyz`);
        expect(response.status).toBe(503);
        const body = response.json();
        expect(body.status).toBe('unavailable');
        expect(body.checks.redis).toBe('ok');
        expect(body.checks.postgres).toMatch(
          /^PostgreSQL did not answer: Raw query failed\. .*Can't reach database server at 127\.0\.0\.1:\d+`$/,
        );
      } finally {
        await server.close();
        await db.$disconnect();
      }
    });
  });

  describe('under a base path with credentials', () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startTestServer(
        createDashboardApp({
          config: env.configWith({
            DASHBOARD_BASE_PATH: '/issue-sync',
            DASHBOARD_USERNAME: TEST_CREDENTIALS.username,
            DASHBOARD_PASSWORD: TEST_CREDENTIALS.password,
          }),
          db: env.db,
          queues: env.queues,
          logger: createTestLogger(),
        }),
      );
    });

    afterAll(() => server.close());

    it.each([
      '/healthz',
      '/readyz',
      '/issue-sync/healthz',
      '/issue-sync/readyz',
    ])('serves %s without a sign-in', async (path) => {
      const response = await request(`${server.origin}${path}`);
      expect(response.status).toBe(200);
      expect(response.json().status).toBe('ok');
    });
  });
});

describe('startDashboard', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await createTestEnvironment({ DASHBOARD_BASE_PATH: '/issue-sync' });
  });

  afterAll(() => env.close());

  it('listens on DASHBOARD_HOST and a free port, then stops', async () => {
    const logger = createTestLogger();
    const server = await startDashboard(env.config, logger);
    let stopped = false;
    try {
      expect(server.port).toBeGreaterThan(0);
      expect(server.url).toBe(`http://127.0.0.1:${server.port}/issue-sync/`);
      expect(logger.entries.at(-1)).toEqual({
        level: 'info',
        message: 'dashboard listening',
        meta: { url: server.url },
      });

      const page = await request(server.url);
      expect(page.status).toBe(200);
      const ready = await request(`http://127.0.0.1:${server.port}/readyz`);
      expect(ready.json()).toEqual({
        status: 'ok',
        checks: { redis: 'ok', postgres: 'ok' },
      });

      await server.stop();
      stopped = true;
      await expect(request(server.url)).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      if (!stopped) {
        await server.stop();
      }
    }
  });
});
