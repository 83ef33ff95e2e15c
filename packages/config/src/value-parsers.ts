import { isIP } from 'node:net';
import { z } from 'zod';

/** Thrown by a parser; its message is the expected form of the value. */
export class InvalidValueError extends Error {
  override readonly name = 'InvalidValueError';
}

/** A zod schema from the raw text of one option to its typed value. */
export type ValueSchema<T> = z.ZodType<T, string>;

/** Wraps a throwing parser into a zod schema with the parser's message. */
export function schemaOf<T>(parse: (text: string) => T): ValueSchema<T> {
  return z.string().transform((text, ctx) => {
    try {
      return parse(text);
    } catch (error) {
      if (!(error instanceof InvalidValueError)) {
        throw error;
      }
      ctx.addIssue({ code: 'custom', message: error.message });

      return z.NEVER;
    }
  });
}

/**
 * Node's setTimeout treats larger delays as 1 ms, so every duration stays
 * below this to be usable as a timer delay.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export function parseInteger(
  text: string,
  range: { min: number; max: number; unit?: string },
): number {
  const unit = range.unit === undefined ? '' : ` of ${range.unit}`;
  const expected = `use a whole number${unit} from ${range.min} to ${range.max}`;
  if (!/^\d+$/.test(text)) {
    throw new InvalidValueError(expected);
  }

  const value = Number(text);
  if (value < range.min || value > range.max) {
    throw new InvalidValueError(expected);
  }

  return value;
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export type DurationUnit = keyof typeof UNIT_MS;

export interface DurationRules {
  units: readonly DurationUnit[];
  minMs: number;
  maxMs: number;
  /** Unit of a bare number; a bare number is rejected when unset. */
  bareUnit?: DurationUnit;
  example: string;
}

function listWords(words: readonly string[]): string {
  if (words.length < 2) {
    return words.join('');
  }

  return `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/** Formats milliseconds in the largest unit that divides them exactly. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms >= UNIT_MS[unit] && ms % UNIT_MS[unit] === 0) {
      return `${ms / UNIT_MS[unit]}${unit}`;
    }
  }

  return `${ms}ms`;
}

/**
 * Parses `30s`, `15m`, `1h` or `7d` into milliseconds. A bare number is
 * rejected unless the option names its unit, because `15` could mean
 * seconds or minutes.
 */
export function parseDuration(text: string, rules: DurationRules): number {
  const bare = rules.bareUnit === undefined ? '' : 'a number of seconds, or ';
  const expected =
    `use ${bare}a number with ${listWords(rules.units)}, ` +
    `such as ${rules.example}`;
  const match = /^(\d+)([a-z]?)$/.exec(text);
  const unit = (match?.[2] || rules.bareUnit) as DurationUnit | undefined;
  if (match === null || unit === undefined || !rules.units.includes(unit)) {
    throw new InvalidValueError(expected);
  }

  const ms = Number(match[1]) * UNIT_MS[unit];
  if (ms < rules.minMs) {
    throw new InvalidValueError(`use at least ${formatDuration(rules.minMs)}`);
  }
  if (ms > rules.maxMs) {
    const maxInUnit = Math.floor(rules.maxMs / UNIT_MS[unit]);
    throw new InvalidValueError(`use at most ${maxInUnit}${unit}`);
  }

  return ms;
}

export function parseBoolean(text: string): boolean {
  const lower = text.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(lower)) {
    return true;
  }
  if (['false', '0', 'no', 'off'].includes(lower)) {
    return false;
  }

  throw new InvalidValueError('use true or false');
}

export function parseChoice<const T extends string>(
  text: string,
  choices: readonly T[],
): T {
  const lower = text.toLowerCase();
  const found = choices.find((choice) => choice === lower);
  if (found === undefined) {
    throw new InvalidValueError(`use ${listWords(choices)}`);
  }

  return found;
}

function parseUrl(text: string, expected: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new InvalidValueError(expected);
  }
}

/** Tells whether a URL host is on this machine: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();

  return (
    host === 'localhost' ||
    host === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

export interface TrackerUrlRules {
  example: string;
  /** Ends the advice to remove credentials, such as " and set GITHUB_TOKEN instead". */
  credentialsAdvice: string;
  allowHttp: boolean;
}

/**
 * Checks the base URL of a tracker API and drops its trailing slashes.
 * Plain http is accepted for loopback hosts only unless `allowHttp` is set,
 * so a token never crosses a network unencrypted by mistake.
 */
export function parseTrackerUrl(text: string, rules: TrackerUrlRules): string {
  const expected = `use an absolute http(s) URL such as ${rules.example}`;
  const url = parseUrl(text, expected);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidValueError(expected);
  }
  if (url.username !== '' || url.password !== '') {
    throw new InvalidValueError(
      `remove the user name and password from the URL${rules.credentialsAdvice}`,
    );
  }
  if (url.search !== '' || text.includes('?')) {
    throw new InvalidValueError(
      `remove the query string, such as ${rules.example}`,
    );
  }
  if (url.hash !== '' || text.includes('#')) {
    throw new InvalidValueError(
      `remove the fragment, such as ${rules.example}`,
    );
  }
  if (
    url.protocol === 'http:' &&
    !rules.allowHttp &&
    !isLoopbackHost(url.hostname)
  ) {
    throw new InvalidValueError(
      'use https; plain http is accepted only for 127.0.0.1, ::1 and localhost unless TRACKER_ALLOW_HTTP=true',
    );
  }

  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

export function parseDatabaseUrl(text: string): string {
  const expected = 'use postgresql://USER:PASSWORD@HOST:PORT/DATABASE';
  const url = parseUrl(text, expected);
  if (
    (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') ||
    url.hostname === ''
  ) {
    throw new InvalidValueError(expected);
  }

  return text;
}

export function parseRedisUrl(text: string): string {
  const expected =
    'use redis://[:PASSWORD@]HOST:PORT[/DB], or rediss:// for TLS';
  const url = parseUrl(text, expected);
  if (
    (url.protocol !== 'redis:' && url.protocol !== 'rediss:') ||
    url.hostname === ''
  ) {
    throw new InvalidValueError(expected);
  }

  return text;
}

/**
 * Checks a BullMQ queue prefix. `:` separates Redis key parts, and braces
 * must form one non-empty Redis Cluster hash tag such as `{issue-sync}`.
 */
export function parseQueuePrefix(text: string): string {
  const expected =
    'use letters, digits, -, _ and one {hash-tag} at most (no :), such as issue-sync or {issue-sync}';
  const plain = /^[A-Za-z0-9_-]{1,64}$/;
  const tagged = /^[A-Za-z0-9_-]*\{[A-Za-z0-9_-]+\}[A-Za-z0-9_-]*$/;
  if (text.length > 64 || !(plain.test(text) || tagged.test(text))) {
    throw new InvalidValueError(expected);
  }

  return text;
}

/** Accepts a token of visible ASCII characters only. */
export function parseToken(text: string): string {
  if (!/^[\x21-\x7e]+$/.test(text)) {
    throw new InvalidValueError(
      'use the token alone, without spaces, control characters or non-ASCII characters',
    );
  }

  return text;
}

/** Accepts a user name usable in HTTP basic authentication. */
export function parseUsername(text: string): string {
  if (text.includes(':') || /[\x00-\x1f\x7f]/.test(text)) {
    throw new InvalidValueError(
      'use a user name without : or control characters',
    );
  }

  return text;
}

export function parsePassword(text: string): string {
  if (text.length < 8 || /[\x00-\x1f\x7f]/.test(text)) {
    throw new InvalidValueError(
      'use at least 8 characters and no control characters',
    );
  }

  return text;
}

const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Accepts a host name or an IP address to listen on. */
export function parseListenHost(text: string): string {
  if (isIP(text) === 0 && !HOST_NAME.test(text)) {
    throw new InvalidValueError(
      'use a host name or IP address to listen on, such as 127.0.0.1 or 0.0.0.0',
    );
  }

  return text;
}

/** Accepts `/a/b`, drops trailing slashes, and turns `/` into the empty path. */
export function parseBasePath(text: string): string {
  const path = text.replace(/\/+$/, '');
  const segments = path.split('/').slice(1);
  const valid =
    path === '' ||
    (path.startsWith('/') &&
      segments.every(
        (segment) =>
          /^[A-Za-z0-9._~-]+$/.test(segment) &&
          segment !== '.' &&
          segment !== '..',
      ));
  if (!valid) {
    throw new InvalidValueError('use a path such as /issue-sync');
  }

  return path;
}
