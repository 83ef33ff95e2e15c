import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export interface DatabaseOptions {
  /** postgresql:// connection string. */
  url: string;
  /** Most connections this process opens. */
  poolSize: number;
  /** How long a query waits for a free connection before failing. */
  connectionTimeoutMs?: number;
}

export type Database = PrismaClient;

/**
 * Creates the process's one Prisma client over a pg pool of `poolSize`
 * connections. Create it once per process: every client has its own pool.
 */
export function createDatabase(options: DatabaseOptions): Database {
  const adapter = new PrismaPg({
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    // Idle connections go back to PostgreSQL between sweeps.
    idleTimeoutMillis: 30_000,
  });

  return new PrismaClient({ adapter });
}
