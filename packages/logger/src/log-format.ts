import { format } from 'winston';
import type { Logform } from 'winston';
import type { Plain, PlainObject, ValueRedactor } from './redact-value';

// The symbols winston and logform use on every log entry (triple-beam).
const MESSAGE = Symbol.for('message');
const SPLAT = Symbol.for('splat');

/** Fields every line has; anything else in the entry is metadata. */
const LINE_FIELDS = new Set(['timestamp', 'level', 'service', 'message']);

export type LogFormatName = 'json' | 'pretty';

interface LogLine {
  timestamp: string;
  level: string;
  service: Plain;
  message: string;
  fields: PlainObject;
}

function isError(value: unknown): value is Error {
  return value instanceof Error;
}

/**
 * Finds the error of a call such as `logger.error(err)` or
 * `logger.error('failed', err)`. Winston copies that error's own fields
 * (axios `config` among them) to the top level and appends its message to
 * the entry's message, so both are undone here.
 */
function findSpreadError(
  info: Logform.TransformableInfo,
): { error: Error; message: string } | undefined {
  if (isError(info)) {
    return { error: info, message: info.message };
  }

  const splat = (info as Record<symbol, unknown>)[SPLAT];
  const first = Array.isArray(splat) ? splat[0] : undefined;
  if (!isError(first)) {
    return undefined;
  }

  const message = String(info.message ?? '');
  const suffix = ` ${first.message}`;

  return {
    error: first,
    message: message.endsWith(suffix)
      ? message.slice(0, -suffix.length)
      : message,
  };
}

function collectFields(info: Logform.TransformableInfo): {
  message: unknown;
  fields: Record<string, unknown>;
} {
  const spread = findSpreadError(info);
  const skipped = new Set(LINE_FIELDS);
  if (spread !== undefined) {
    for (const key of [...Object.keys(spread.error), 'stack', 'cause']) {
      skipped.add(key);
    }
  }

  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(info)) {
    if (!skipped.has(key)) {
      fields[key] = value;
    }
  }

  // Winston drops the metadata object when the message looks like a format
  // string ("50%d"); it is still in the splat arguments.
  const splat = (info as Record<symbol, unknown>)[SPLAT];
  const first = Array.isArray(splat) ? splat[0] : undefined;
  if (typeof first === 'object' && first !== null && !isError(first)) {
    for (const [key, value] of Object.entries(first)) {
      if (!(key in fields) && !LINE_FIELDS.has(key)) {
        fields[key] = value;
      }
    }
  }
  if (spread !== undefined && fields.err === undefined) {
    fields.err = spread.error;
  }

  return { message: spread?.message ?? info.message, fields };
}

function toLine(
  info: Logform.TransformableInfo,
  redactor: ValueRedactor,
): LogLine {
  const { message, fields } = collectFields(info);
  const redactedMessage = redactor.redact(message ?? '');
  const timestamp =
    typeof info.timestamp === 'string'
      ? info.timestamp
      : new Date().toISOString();

  return {
    timestamp,
    level: info.level,
    service: redactor.redact(info.service),
    message:
      typeof redactedMessage === 'string'
        ? redactedMessage
        : JSON.stringify(redactedMessage),
    fields: redactor.redact(fields) as PlainObject,
  };
}

function formatJson(line: LogLine): string {
  return JSON.stringify({
    timestamp: line.timestamp,
    level: line.level,
    service: line.service,
    message: line.message,
    ...line.fields,
  });
}

// Keeps a pretty line on one line: control characters become escapes.
function escapeControl(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, (character) =>
    JSON.stringify(character).slice(1, -1),
  );
}

function describeErrorBriefly(error: Plain): string {
  if (typeof error !== 'object' || error === null || Array.isArray(error)) {
    return JSON.stringify(error);
  }

  const kind = typeof error.kind === 'string' ? `(${error.kind})` : '';
  const status =
    typeof error.httpStatus === 'number' ? ` [${error.httpStatus}]` : '';
  const text = `${String(error.name)}${kind}${status}: ${String(error.message)}`;
  const cause =
    error.cause === undefined
      ? ''
      : `; cause: ${describeErrorBriefly(error.cause)}`;

  return `${text}${cause}`;
}

function formatPrettyValue(key: string, value: Plain): string {
  if (key === 'err') {
    return JSON.stringify(describeErrorBriefly(value));
  }
  if (typeof value === 'string' && /^[^\s"=]+$/.test(value)) {
    return escapeControl(value);
  }

  return JSON.stringify(value);
}

// Stacks are left out of pretty lines to keep them on one line; the JSON
// format carries them.
function formatPretty(line: LogLine): string {
  const fields = Object.entries(line.fields).map(
    ([key, value]) => `${key}=${formatPrettyValue(key, value)}`,
  );
  const head = `${line.timestamp} ${line.level.padEnd(5)} [${String(line.service)}] ${escapeControl(line.message)}`;

  return [head, ...fields].join(' ');
}

/**
 * Builds the winston format that redacts an entry and writes it as one
 * JSON line or one pretty line with timestamp, level, service and message.
 */
export function createLineFormat(
  redactor: ValueRedactor,
  name: LogFormatName,
): Logform.Format {
  const render = name === 'pretty' ? formatPretty : formatJson;

  return format((info) => {
    (info as Record<symbol, unknown>)[MESSAGE] = render(toLine(info, redactor));

    return info;
  })();
}
