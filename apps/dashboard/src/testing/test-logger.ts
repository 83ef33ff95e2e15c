import type { DashboardLogger } from '../dashboard-app';

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  meta?: Record<string, unknown>;
}

/** Creates a logger that keeps every entry for assertions. */
export function createTestLogger(): DashboardLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const add =
    (level: LogEntry['level']) =>
    (message: string, meta?: Record<string, unknown>): void => {
      entries.push({ level, message, meta });
    };

  return { entries, info: add('info'), warn: add('warn'), error: add('error') };
}
