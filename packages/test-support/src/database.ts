import pg from 'pg';
import { defaultMigrationsDir, migrate } from '@issue-sync/db';

export const POSTGRES_SERVER_URL = 'postgresql://postgres@127.0.0.1:5432';

export interface TestDatabase {
  name: string;
  url: string;
  /** Runs one SQL statement and returns its rows. */
  query<T extends pg.QueryResultRow = Record<string, unknown>>(
    sql: string,
    values?: unknown[],
  ): Promise<T[]>;
  drop(): Promise<void>;
}

/** Creates and migrates a database of its own for one test file. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `issue_sync_${label}_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  const url = `${POSTGRES_SERVER_URL}/${name}`;
  await migrate({
    databaseUrl: url,
    migrationsDir: defaultMigrationsDir,
    logger: { info: () => undefined, warn: () => undefined },
  });

  return {
    name,
    url,
    query: async <T extends pg.QueryResultRow>(
      sql: string,
      values: unknown[] = [],
    ) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query<T>(sql, values)).rows;
      } finally {
        await client.end();
      }
    },
    drop: async () => {
      const admin = new pg.Client({
        connectionString: `${POSTGRES_SERVER_URL}/postgres`,
      });
      await admin.connect();
      try {
        await admin.query(
          `DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`,
        );
      } finally {
        await admin.end();
      }
    },
  };
}
