import { randomBytes } from 'node:crypto';
import { loadConfig, type AppConfig } from '@issue-sync/config';
import {
  createDatabase,
  defaultMigrationsDir,
  migrate,
  type Database,
} from '@issue-sync/db';
import {
  createQueues,
  createRedisConnection,
  waitForRedis,
  type QueueSet,
} from '@issue-sync/queue';
import type { Redis } from 'ioredis';

export const POSTGRES_SERVER_URL = 'postgresql://postgres@127.0.0.1:5432';
export const REDIS_URL = 'redis://127.0.0.1:6379';
export const JIRA_BASE_URL = 'https://example.atlassian.net';

/** Credentials the tests that need a sign-in configure. */
export const TEST_CREDENTIALS = {
  username: 'operator',
  password: 'correct-horse-battery',
};

/** A fresh database and queue prefix for one test file. */
export interface TestEnvironment {
  config: AppConfig;
  db: Database;
  queues: QueueSet;
  /** The producer connection the queues share. */
  connection: Redis;
  databaseName: string;
  /** Builds the configuration of this environment with other variables. */
  configWith(env: Record<string, string>): AppConfig;
  /** Drops the database, deletes the prefix's Redis keys and disconnects. */
  close(): Promise<void>;
}

const silent = { info: () => undefined, warn: () => undefined };

function randomSuffix(): string {
  return randomBytes(6).toString('hex');
}

async function dropDatabase(name: string): Promise<void> {
  const admin = createDatabase({
    url: `${POSTGRES_SERVER_URL}/postgres`,
    poolSize: 1,
  });
  try {
    await admin.$executeRawUnsafe(
      `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`,
    );
  } finally {
    await admin.$disconnect();
  }
}

async function deleteKeys(connection: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await connection.scan(
      cursor,
      'MATCH',
      `${prefix}:*`,
      'COUNT',
      1000,
    );
    if (keys.length > 0) {
      await connection.del(...keys);
    }
    cursor = next;
  } while (cursor !== '0');
}

/**
 * Creates a migrated database and a unique QUEUE_PREFIX, and a
 * configuration pointing at both through loadConfig, merged with `env`.
 */
export async function createTestEnvironment(
  env: Record<string, string> = {},
): Promise<TestEnvironment> {
  const databaseName = `issue_sync_dashboard_test_${process.pid}_${randomSuffix()}`;
  const queuePrefix = `issue-sync-dashboard-test-${randomSuffix()}`;
  const baseEnv: Record<string, string> = {
    DATABASE_URL: `${POSTGRES_SERVER_URL}/${databaseName}`,
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    JIRA_BASE_URL,
    DASHBOARD_PORT: '0',
    SYNC_RETRY_ATTEMPTS: '3',
    SYNC_RETRY_BACKOFF_MS: '60000',
  };
  const configWith = (extra: Record<string, string>): AppConfig =>
    loadConfig({ ...baseEnv, ...extra });
  const config = configWith(env);

  await migrate({
    databaseUrl: config.databaseUrl,
    migrationsDir: defaultMigrationsDir,
    logger: silent,
  });
  const db = createDatabase({ url: config.databaseUrl, poolSize: 5 });
  const connection = createRedisConnection(config.redisUrl, 'producer');
  await waitForRedis(connection, 5_000);
  const queues = createQueues({
    connection,
    prefix: config.queuePrefix,
    onError: () => undefined,
  });

  return {
    config,
    db,
    queues,
    connection,
    databaseName,
    configWith,
    close: async () => {
      await queues.close();
      await deleteKeys(connection, config.queuePrefix);
      await connection.quit();
      await db.$disconnect();
      await dropDatabase(databaseName);
    },
  };
}
