import path from 'node:path';

/** prisma/migrations at the repository root, from src/ or dist/ alike. */
export const defaultMigrationsDir = path.resolve(
  __dirname,
  '../../../prisma/migrations',
);
