import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

/*
 * Applies prisma/migrations the way `prisma migrate deploy` does and records
 * them in the same `_prisma_migrations` table, so either tool can manage a
 * database. It exists because Prisma's schema engine, which `migrate deploy`
 * needs, is a binary download that some build machines cannot fetch.
 */

/** Lock id Prisma's migrate engine takes, so the two never run at once. */
const MIGRATION_LOCK_ID = 72707369;

export interface MigrationLogger {
  info(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
}

export interface MigrateOptions {
  databaseUrl: string;
  /** Folder holding `<timestamp>_<name>/migration.sql` folders. */
  migrationsDir: string;
  logger: MigrationLogger;
}

export interface MigrateResult {
  createdDatabase: boolean;
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Creates the database when it is missing, then applies every pending
 * migration in name order, each inside its own transaction. Throws
 * MigrationError when an applied migration's file has changed or an earlier
 * run left a migration unfinished.
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const createdDatabase = await ensureDatabase(
    options.databaseUrl,
    options.logger,
  );
  const files = await readMigrations(options.migrationsDir);
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    await createMigrationsTable(client);
    const applied = await readApplied(client);
    const pending = selectPending(files, applied, options.logger);
    for (const file of pending) {
      await applyMigration(client, file);
      options.logger.info('migration applied', { migration: file.name });
    }

    return {
      createdDatabase,
      applied: pending.map((file) => file.name),
      alreadyApplied: files
        .filter((file) => !pending.includes(file))
        .map((file) => file.name),
    };
  } finally {
    await client.end();
  }
}

async function ensureDatabase(
  databaseUrl: string,
  logger: MigrationLogger,
): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (name === '') {
    throw new MigrationError(
      'DATABASE_URL names no database: add one after the host, such as postgresql://HOST:5432/issue_sync',
    );
  }
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const found = await admin.query(
      'SELECT 1 FROM pg_database WHERE datname = $1',
      [name],
    );
    if (found.rowCount !== 0) {
      return false;
    }
    try {
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
    } catch (error) {
      // Another migrate run created it between our check and our CREATE.
      if ((error as { code?: string }).code === '42P04') {
        return false;
      }
      throw error;
    }
    logger.info('database created', { database: name });

    return true;
  } finally {
    await admin.end();
  }
}

async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
    const checksum = createHash('sha256').update(sql).digest('hex');
    files.push({ name, sql, checksum });
  }

  return files;
}

async function createMigrationsTable(client: pg.Client): Promise<void> {
  // Same columns and types as the table Prisma's migrate engine creates.
  await client.query(`
    CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
}

async function readApplied(client: pg.Client): Promise<AppliedRow[]> {
  const result = await client.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at
       FROM "_prisma_migrations" ORDER BY started_at`,
  );

  return result.rows;
}

function selectPending(
  files: MigrationFile[],
  applied: AppliedRow[],
  logger: MigrationLogger,
): MigrationFile[] {
  const live = applied.filter((row) => row.rolled_back_at === null);
  const unfinished = live.find((row) => row.finished_at === null);
  if (unfinished !== undefined) {
    throw new MigrationError(
      `migration ${unfinished.migration_name} started earlier but never finished: fix the database by hand, then mark it with \`prisma migrate resolve\``,
    );
  }
  const byName = new Map(live.map((row) => [row.migration_name, row]));
  for (const file of files) {
    const row = byName.get(file.name);
    if (row !== undefined && row.checksum !== file.checksum) {
      throw new MigrationError(
        `migration ${file.name} was changed after it was applied: restore its migration.sql and add a new migration for the change`,
      );
    }
  }
  const known = new Set(files.map((file) => file.name));
  for (const row of live) {
    if (!known.has(row.migration_name)) {
      logger.warn('database has a migration this build does not know', {
        migration: row.migration_name,
      });
    }
  }

  return files.filter((file) => !byName.has(file.name));
}

async function applyMigration(
  client: pg.Client,
  file: MigrationFile,
): Promise<void> {
  // A failed migration rolls back whole and leaves no row behind, so the
  // next run simply tries it again.
  await client.query('BEGIN');
  try {
    const id = randomUUID();
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at)
       VALUES ($1, $2, $3, now())`,
      [id, file.checksum, file.name],
    );
    await client.query(file.sql);
    await client.query(
      `UPDATE "_prisma_migrations"
          SET finished_at = now(), applied_steps_count = 1
        WHERE id = $1`,
      [id],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw new MigrationError(
      `migration ${file.name} failed and was rolled back: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
