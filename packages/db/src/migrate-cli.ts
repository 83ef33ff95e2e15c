import { ConfigError, loadConfig, secretsOf } from '@issue-sync/config';
import { createLogger } from '@issue-sync/logger';
import { migrate } from './migrate';
import { defaultMigrationsDir } from './paths';

// `pnpm db:migrate`: applies pending migrations to DATABASE_URL.
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({
    service: 'migrate',
    level: config.log.level,
    format: config.log.format,
    secrets: secretsOf(config),
  });
  try {
    const result = await migrate({
      databaseUrl: config.databaseUrl,
      migrationsDir: defaultMigrationsDir,
      logger,
    });
    logger.info('migrations up to date', {
      applied: result.applied.length,
      alreadyApplied: result.alreadyApplied.length,
      createdDatabase: result.createdDatabase,
    });
  } catch (err) {
    logger.error('migration failed', { err });
    process.exitCode = 1;
  }
}

void main();
