export interface ShutdownLogger {
  info(message: string, meta?: Record<string, unknown>): unknown;
  error(message: string, meta?: Record<string, unknown>): unknown;
}

/**
 * Runs `stop` once on the first SIGTERM or SIGINT, then exits: 0 when it
 * finished, 1 when it threw or took longer than `timeoutMs`. A second
 * signal exits at once.
 */
export function onShutdownSignal(
  logger: ShutdownLogger,
  stop: (signal: string) => Promise<void>,
  timeoutMs?: number,
): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.info('second signal received; exiting now', { signal });
      process.exit(1);
    }
    stopping = true;
    logger.info('shutting down', { signal });
    if (timeoutMs !== undefined) {
      // Closing hangs while Redis is unreachable; never outlast the
      // orchestrator's grace period, which would kill the process anyway.
      setTimeout(() => {
        logger.error('shutdown timed out; exiting', { signal, timeoutMs });
        process.exit(1);
      }, timeoutMs).unref();
    }
    stop(signal).then(
      () => {
        logger.info('shut down cleanly', { signal });
        process.exit(0);
      },
      (err: unknown) => {
        logger.error('shutdown failed', { signal, err });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);
}

/** Logs unhandled rejections and uncaught exceptions, then exits non-zero. */
export function logFatalErrors(logger: ShutdownLogger): void {
  process.on('unhandledRejection', (err) => {
    logger.error('unhandled promise rejection', { err });
    process.exitCode = 1;
  });
  process.on('uncaughtException', (err) => {
    logger.error('uncaught exception', { err });
    process.exit(1);
  });
}
