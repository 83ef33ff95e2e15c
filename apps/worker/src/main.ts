import { createLogger } from '@issue-sync/logger';
import { secretsOf, summarizeConfig } from '@issue-sync/config';
import {
  loadAppConfig,
  logFatalErrors,
  onShutdownSignal,
} from '@issue-sync/runtime';
import { startWorkerApp } from './worker-app';

async function main(): Promise<void> {
  const loaded = loadAppConfig();
  const { config, warnings } = loaded;
  const logger = createLogger({
    service: 'worker',
    level: config.log.level,
    format: config.log.format,
    secrets: secretsOf(config),
  });
  logFatalErrors(logger);
  logger.info('configuration loaded', { config: summarizeConfig(config) });
  for (const warning of warnings) {
    logger.warn('configuration warning', { warning });
  }
  const app = await startWorkerApp(loaded, logger);
  onShutdownSignal(logger, () => app.stop());
}

void main();
