import {
  secretsOf,
  summarizeConfig,
  type LoadedConfig,
} from '@issue-sync/config';
import { createLogger, type Logger } from '@issue-sync/logger';
import { loadAppConfig } from './app-config';
import { logFatalErrors, onShutdownSignal } from './shutdown';

/** A started app that can be stopped on a signal. */
export interface StoppableApp {
  stop(): Promise<void>;
}

/**
 * Runs a long-lived app's main module: loads the configuration, creates the
 * root logger, logs the masked configuration and its warnings, starts the
 * app and stops it on SIGTERM or SIGINT.
 */
export async function runApp(
  service: string,
  start: (loaded: LoadedConfig, logger: Logger) => Promise<StoppableApp>,
  /** Longest a shutdown may take before the process exits anyway. */
  stopTimeoutMs: (loaded: LoadedConfig) => number = () => 15_000,
): Promise<void> {
  const loaded = loadAppConfig();
  const { config, warnings } = loaded;
  const logger = createLogger({
    service,
    level: config.log.level,
    format: config.log.format,
    secrets: secretsOf(config),
  });
  logFatalErrors(logger);
  logger.info('configuration loaded', { config: summarizeConfig(config) });
  for (const warning of warnings) {
    logger.warn('configuration warning', { warning });
  }
  try {
    const app = await start(loaded, logger);
    onShutdownSignal(logger, () => app.stop(), stopTimeoutMs(loaded));
  } catch (err) {
    // Parts that did start (queue workers, timers) would keep the process
    // alive and working while it claims to have failed, so exit.
    logger.error('start-up failed', { err });
    process.exit(1);
  }
}
