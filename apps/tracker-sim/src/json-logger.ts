import type { SimLogger } from './types';

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Creates a logger that writes one JSON object per line, with `level`,
 * `time` and `message` first and the fields after them.
 */
export function createJsonLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stdout.write(line),
): SimLogger {
  const threshold = LOG_LEVELS.indexOf(level);
  const log =
    (entryLevel: LogLevel) =>
    (message: string, meta: Record<string, unknown> = {}): void => {
      if (LOG_LEVELS.indexOf(entryLevel) > threshold) {
        return;
      }
      const entry = {
        level: entryLevel,
        time: new Date().toISOString(),
        message,
        service: 'tracker-sim',
        ...meta,
      };
      write(`${JSON.stringify(entry)}\n`);
    };

  return {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
  };
}
