const { readCpuSeconds } = require('./processes');
const { requireFrom } = require('./workspace');

const pg = requireFrom('packages/test-support', 'pg');

const SERVER_URL = 'postgresql://postgres@127.0.0.1:5432';

/**
 * Watches one database from a connection to the `postgres` database, so
 * the probe's own connection never counts among the bench database's.
 */
class PostgresProbe {
  backends = new Map();

  constructor(databaseName) {
    this.databaseName = databaseName;
    this.client = new pg.Client({
      connectionString: `${SERVER_URL}/postgres`,
      application_name: 'issue-sync-bench-probe',
    });
  }

  async connect() {
    await this.client.connect();
  }

  async serverVersion() {
    const result = await this.client.query('SHOW server_version');

    return result.rows[0].server_version;
  }

  /**
   * Counts the client connections to the database now, and records each
   * backend's CPU time, so CPU spent by backends that exit later is kept.
   */
  async sampleConnections(sinceMs) {
    const result = await this.client.query(
      `SELECT pid, backend_start, query FROM pg_stat_activity
        WHERE datname = $1 AND backend_type = 'client backend'`,
      [this.databaseName],
    );
    for (const row of result.rows) {
      const cpu = readCpuSeconds(row.pid);
      if (cpu === undefined) {
        continue;
      }
      let backend = this.backends.get(row.pid);
      if (backend === undefined) {
        const isNew = row.backend_start.getTime() >= sinceMs;
        backend = { baseline: isNew ? 0 : cpu, last: cpu, counts: false };
        this.backends.set(row.pid, backend);
      }
      backend.last = cpu;
      // Only the CLI's progress polling counts rows; the workers never do.
      backend.counts ||= /\bcount\(/i.test(row.query);
    }

    return result.rows.length;
  }

  /**
   * CPU seconds of the backends seen since the last reset: all of them, and
   * those that ran COUNT queries (the CLI's progress polling).
   */
  backendCpuSeconds() {
    let total = 0;
    let counting = 0;
    for (const backend of this.backends.values()) {
      const used = backend.last - backend.baseline;
      total += used;
      counting += backend.counts ? used : 0;
    }

    return { total, counting };
  }

  resetBackends() {
    this.backends.clear();
  }

  /**
   * Reads the database's cumulative counters. PostgreSQL 15 flushes a
   * backend's counters when it goes idle for a while or exits, so read them
   * after the workers have stopped.
   */
  async databaseCounters() {
    const result = await this.client.query(
      `SELECT xact_commit, xact_rollback, tup_returned, tup_fetched,
              tup_inserted, tup_updated
         FROM pg_stat_database WHERE datname = $1`,
      [this.databaseName],
    );
    const row = result.rows[0];

    return Object.fromEntries(
      Object.entries(row).map(([name, value]) => [name, Number(value)]),
    );
  }

  async close() {
    await this.client.end();
  }
}

module.exports = { PostgresProbe, SERVER_URL };
