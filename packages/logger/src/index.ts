export { addLoggerSecrets, createLogger } from './create-logger';
export type { Logger, LoggerOptions } from './create-logger';
export type { LogFormatName } from './log-format';
export { createRedactor, redact } from './redact';
export type { Redactor } from './redact';
export { REDACTED } from './redact-text';
