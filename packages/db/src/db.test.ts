import { mkdtemp, cp, writeFile, appendFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {
  countBySyncStatus,
  createDatabase,
  defaultMigrationsDir,
  deleteIssue,
  getIssue,
  listIssues,
  migrate,
  pageIssueIds,
  recordSyncFailure,
  recordSyncSuccess,
  registerIssue,
  upsertIssues,
  type Database,
} from './index';

const serverUrl = 'postgresql://postgres@127.0.0.1:5432';
const silent = { info: () => undefined, warn: () => undefined };

function freshName(): string {
  return `issue_sync_db_test_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
}

async function dropDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}

async function query<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('migrate', () => {
  const name = freshName();
  const url = `${serverUrl}/${name}`;
  afterAll(() => dropDatabase(name));

  it('creates the database and applies the schema', async () => {
    const result = await migrate({
      databaseUrl: url,
      migrationsDir: defaultMigrationsDir,
      logger: silent,
    });

    expect(result.createdDatabase).toBe(true);
    expect(result.applied).toEqual([
      '20261203000000_init',
      '20261203120000_failing_issue_index',
    ]);
    const columns = await query<{ column_name: string; data_type: string }>(
      url,
      `SELECT column_name, data_type FROM information_schema.columns
        WHERE table_name = 'issue' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => `${c.column_name}:${c.data_type}`)).toEqual([
      'id:integer',
      'source:USER-DEFINED',
      'project:character varying',
      'key:character varying',
      'title:text',
      'status:USER-DEFINED',
      'labels:ARRAY',
      'tracker_status:text',
      'sync_status:USER-DEFINED',
      'sync_error:text',
      'last_synced_at:timestamp without time zone',
      'last_attempted_at:timestamp without time zone',
      'created_at:timestamp without time zone',
      'updated_at:timestamp without time zone',
    ]);
    const enums = await query<{ typname: string; labels: string }>(
      url,
      `SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS labels
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
        GROUP BY t.typname ORDER BY t.typname`,
    );
    expect(enums).toEqual([
      { typname: 'issuesource', labels: 'GITHUB,JIRA,LAUNCHPAD' },
      { typname: 'issuestatus', labels: 'UNKNOWN,OPEN,CLOSED' },
      { typname: 'syncstatus', labels: 'NEVER_SYNCED,SYNCED,SYNC_FAILED' },
    ]);
    const indexes = await query<{ indexname: string }>(
      url,
      `SELECT indexname FROM pg_indexes WHERE tablename = 'issue' ORDER BY indexname`,
    );
    expect(indexes.map((i) => i.indexname)).toEqual([
      'issue_pkey',
      'issue_project_source_key_key',
      'issue_status_last_synced_at_idx',
      'issue_sync_status_last_attempted_at_id_idx',
      'issue_sync_status_source_idx',
    ]);
  });

  it('is a no-op the second time', async () => {
    const result = await migrate({
      databaseUrl: url,
      migrationsDir: defaultMigrationsDir,
      logger: silent,
    });

    expect(result).toEqual({
      createdDatabase: false,
      applied: [],
      alreadyApplied: [
        '20261203000000_init',
        '20261203120000_failing_issue_index',
      ],
    });
    const rows = await query<{
      migration_name: string;
      applied_steps_count: number;
    }>(
      url,
      `SELECT migration_name, applied_steps_count FROM "_prisma_migrations"
        WHERE finished_at IS NOT NULL ORDER BY migration_name`,
    );
    expect(rows).toEqual([
      { migration_name: '20261203000000_init', applied_steps_count: 1 },
      {
        migration_name: '20261203120000_failing_issue_index',
        applied_steps_count: 1,
      },
    ]);
  });

  it('rejects an applied migration whose file changed', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    await cp(defaultMigrationsDir, dir, { recursive: true });
    await appendFile(
      path.join(dir, '20261203000000_init', 'migration.sql'),
      '\n-- edited\n',
    );

    await expect(
      migrate({ databaseUrl: url, migrationsDir: dir, logger: silent }),
    ).rejects.toThrow(
      'migration 20261203000000_init was changed after it was applied: restore its migration.sql and add a new migration for the change',
    );
  });

  it('rolls back a failing migration whole', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    await cp(defaultMigrationsDir, dir, { recursive: true });
    const broken = path.join(dir, '20261205000000_broken');
    await cp(path.join(dir, '20261203000000_init'), broken, {
      recursive: true,
    });
    await writeFile(
      path.join(broken, 'migration.sql'),
      'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;\n',
    );

    await expect(
      migrate({ databaseUrl: url, migrationsDir: dir, logger: silent }),
    ).rejects.toThrow(
      'migration 20261205000000_broken failed and was rolled back',
    );
    const tables = await query<{ count: string }>(
      url,
      `SELECT count(*) FROM information_schema.tables WHERE table_name = 'half_done'`,
    );
    expect(tables).toEqual([{ count: '0' }]);
  });
});

describe('issue repository', () => {
  const name = freshName();
  const url = `${serverUrl}/${name}`;
  let db: Database;

  beforeAll(async () => {
    await migrate({
      databaseUrl: url,
      migrationsDir: defaultMigrationsDir,
      logger: silent,
    });
    db = createDatabase({ url, poolSize: 2 });
  });
  afterAll(async () => {
    await db.$disconnect();
    await dropDatabase(name);
  });

  it('round-trips every column', async () => {
    const { issue, created } = await registerIssue(db, {
      source: 'JIRA',
      project: 'DEMO',
      key: '12',
    });
    expect(created).toBe(true);
    expect(issue.title).toBe('');
    expect(issue.status).toBe('UNKNOWN');
    expect(issue.labels).toEqual([]);
    expect(issue.syncStatus).toBe('NEVER_SYNCED');
    expect(issue.syncError).toBeNull();
    expect(issue.lastSyncedAt).toBeNull();

    const at = new Date('2026-12-01T10:00:00.123Z');
    await recordSyncSuccess(
      db,
      issue.id,
      {
        title: 'Add export',
        status: 'OPEN',
        trackerStatus: 'In Review',
        labels: ['a', 'b c'],
      },
      at,
    );
    const synced = await getIssue(db, issue.id);
    expect(synced).toMatchObject({
      source: 'JIRA',
      project: 'DEMO',
      key: '12',
      title: 'Add export',
      status: 'OPEN',
      trackerStatus: 'In Review',
      labels: ['a', 'b c'],
      syncStatus: 'SYNCED',
      syncError: null,
      lastSyncedAt: at,
      lastAttemptedAt: at,
    });

    const later = new Date('2026-12-01T11:00:00.000Z');
    await recordSyncFailure(db, issue.id, '404 from Jira', later);
    const failed = await getIssue(db, issue.id);
    expect(failed).toMatchObject({
      title: 'Add export',
      status: 'OPEN',
      syncStatus: 'SYNC_FAILED',
      syncError: '404 from Jira',
      lastSyncedAt: at,
      lastAttemptedAt: later,
    });
  });

  it('upserts without touching existing sync fields', async () => {
    const first = await upsertIssues(db, [
      { source: 'GITHUB', project: 'octo/repo', key: '1' },
      { source: 'GITHUB', project: 'octo/repo', key: '2' },
      { source: 'GITHUB', project: 'octo/repo', key: '2' },
    ]);
    expect(first).toEqual({ created: 2, existing: 1 });

    const again = await upsertIssues(db, [
      { source: 'JIRA', project: 'DEMO', key: '12' },
      { source: 'LAUNCHPAD', project: 'ubuntu', key: '1' },
    ]);
    expect(again).toEqual({ created: 1, existing: 1 });
    const jira = await listIssues(db, { source: 'JIRA' });
    expect(jira.map((i) => [i.title, i.syncStatus])).toEqual([
      ['Add export', 'SYNC_FAILED'],
    ]);
  });

  it('pages ids in order and counts by status', async () => {
    const first = await pageIssueIds(db, 0, 2);
    const second = await pageIssueIds(db, first[1]!.id, 2);
    const all = [...first, ...second].map((row) => row.source);
    expect(all).toEqual(['JIRA', 'GITHUB', 'GITHUB', 'LAUNCHPAD']);
    expect(await pageIssueIds(db, second[1]!.id, 2)).toEqual([]);

    expect(await countBySyncStatus(db)).toEqual([
      { source: 'GITHUB', syncStatus: 'NEVER_SYNCED', count: 2 },
      { source: 'JIRA', syncStatus: 'SYNC_FAILED', count: 1 },
      { source: 'LAUNCHPAD', syncStatus: 'NEVER_SYNCED', count: 1 },
    ]);
  });

  it('re-keys a moved issue and skips a deleted one', async () => {
    const { issue } = await registerIssue(db, {
      source: 'JIRA',
      project: 'APP',
      key: '123',
    });
    const at = new Date('2026-12-02T00:00:00.000Z');
    const snapshot = {
      title: 'Moved',
      status: 'OPEN' as const,
      trackerStatus: 'To Do',
      labels: [],
      movedTo: { source: 'JIRA' as const, project: 'PLATFORM', key: '45' },
    };
    expect(await recordSyncSuccess(db, issue.id, snapshot, at)).toBe(true);
    expect(await getIssue(db, issue.id)).toMatchObject({
      project: 'PLATFORM',
      key: '45',
    });

    expect(await deleteIssue(db, issue.id)).toBe(true);
    expect(await recordSyncSuccess(db, issue.id, snapshot, at)).toBe(false);
    expect(await recordSyncFailure(db, issue.id, 'x', at)).toBe(false);
  });
});
