import { secretsOf, summarizeConfig } from '@issue-sync/config';
import { createLogger } from '@issue-sync/logger';
import {
  loadAppConfig,
  logFatalErrors,
  onShutdownSignal,
} from '@issue-sync/runtime';
import { startDashboard } from './dashboard-server';

async function main(): Promise<void> {
  const { config, warnings } = loadAppConfig();
  const logger = createLogger({
    service: 'dashboard',
    level: config.log.level,
    format: config.log.format,
    secrets: secretsOf(config),
  });
  logFatalErrors(logger);
  logger.info('configuration loaded', { config: summarizeConfig(config) });
  for (const warning of warnings) {
    logger.warn('configuration warning', { warning });
  }

  const server = await startDashboard(config, logger);
  onShutdownSignal(logger, () => server.stop());
}

void main();
