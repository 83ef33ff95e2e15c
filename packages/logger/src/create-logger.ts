import {
  config,
  createLogger as createWinstonLogger,
  transports,
} from 'winston';
import type { Logger } from 'winston';
import { createLineFormat } from './log-format';
import type { LogFormatName } from './log-format';
import { ValueRedactor } from './redact-value';

export type { Logger } from 'winston';

const LEVEL = Symbol.for('level');
const LEVELS = Object.keys(config.npm.levels);

export interface LoggerOptions {
  /** Name of the app, written to every line as `service`. */
  service: string;
  /**
   * Lowest level written: error, warn, info, http, verbose, debug or silly.
   * @defaultValue 'info'
   */
  level?: string;
  /**
   * `json` writes one JSON object a line; `pretty` one readable line for
   * terminals.
   * @defaultValue 'json'
   */
  format?: LogFormatName;
  /** Values replaced with `***` wherever they appear, such as tokens. */
  secrets?: readonly string[];
  /** @defaultValue process.stdout */
  stream?: NodeJS.WritableStream;
}

// Winston's own child() copies a logged Error's fields into a plain object,
// which would put an axios error's config at the top level. This child keeps
// the error whole under `err`, where the format reduces it.
function installChild(logger: Logger): void {
  logger.child = function child(this: Logger, metadata: object): Logger {
    const parent = this;

    return Object.create(parent, {
      write: {
        value(info: Record<string | symbol, unknown>) {
          const entry =
            info instanceof Error
              ? {
                  [LEVEL]: info[LEVEL],
                  level: info.level,
                  message: info.message,
                  err: info,
                }
              : info;
          parent.write(Object.assign({}, metadata, entry));
        },
      },
    }) as Logger;
  };
}

/**
 * Creates the winston logger of an app. Every line carries `timestamp`,
 * `level`, `service` and `message`; other fields follow, with an error under
 * `err` expanded into name, message, kind, HTTP status, stack and cause.
 * Secrets, credential headers, URL passwords and `Basic`/`Bearer`/`token`
 * credentials are replaced with `***` in the message and every field.
 *
 * @throws Error when `level` or `format` is not one of the accepted values
 */
export function createLogger(options: LoggerOptions): Logger {
  const level = options.level ?? 'info';
  if (!LEVELS.includes(level)) {
    throw new Error(
      `invalid log level "${level}": use one of ${LEVELS.join(', ')}`,
    );
  }

  const formatName = options.format ?? 'json';
  if (formatName !== 'json' && formatName !== 'pretty') {
    throw new Error(
      `invalid log format "${String(formatName)}": use json or pretty`,
    );
  }

  const redactor = new ValueRedactor(options.secrets ?? []);
  const logger = createWinstonLogger({
    level,
    levels: config.npm.levels,
    defaultMeta: { service: options.service },
    format: createLineFormat(redactor, formatName),
    transports: [
      new transports.Stream({ stream: options.stream ?? process.stdout }),
    ],
  });
  installChild(logger);
  redactors.set(logger, redactor);

  return logger;
}

const redactors = new WeakMap<Logger, ValueRedactor>();

/**
 * Makes a logger from createLogger, and its children, redact `secrets` too,
 * for credentials that change while the process runs.
 *
 * @throws Error when `logger` was not made by createLogger
 */
export function addLoggerSecrets(
  logger: Logger,
  secrets: readonly string[],
): void {
  const redactor = redactors.get(logger);
  if (redactor === undefined) {
    throw new Error(
      'addLoggerSecrets needs the root logger that createLogger returned',
    );
  }
  redactor.addSecrets(secrets);
}
