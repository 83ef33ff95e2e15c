import { secretsOf, summarizeConfig } from '@issue-sync/config';
import { createLogger } from '@issue-sync/logger';
import {
  loadAppConfig,
  logFatalErrors,
  onShutdownSignal,
} from '@issue-sync/runtime';
import { startSchedulerApp } from './scheduler-app';

async function main(): Promise<void> {
  const { config, warnings } = loadAppConfig();
  const logger = createLogger({
    service: 'scheduler',
    level: config.log.level,
    format: config.log.format,
    secrets: secretsOf(config),
  });
  logFatalErrors(logger);
  logger.info('configuration loaded', { config: summarizeConfig(config) });
  for (const warning of warnings) {
    logger.warn('configuration warning', { warning });
  }
  const app = await startSchedulerApp(config, logger);
  onShutdownSignal(logger, () => app.stop());
}

void main();
