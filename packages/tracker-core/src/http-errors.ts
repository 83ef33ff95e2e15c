import { STATUS_CODES } from 'node:http';

import { isAxiosError, isCancel } from 'axios';

import type { IssueSource } from './issue-ref';
import { TrackerError, isTrackerError } from './tracker-error';

/** Message context of a classified HTTP error. */
export interface HttpErrorContext {
  tracker: IssueSource;
  /** Base URL of the tracker; messages drop its credentials and query. */
  baseUrl: string;
  /** The fix for a 401, such as "check JIRA_USERNAME and JIRA_TOKEN". */
  credentialHint: string;
}

/** The parts of an HTTP response that classification reads. */
export interface HttpResponseLike {
  status: number;
  /** Plain object or AxiosHeaders; names are matched in any case. */
  headers: object;
}

const TRACKER_NAMES: Record<IssueSource, string> = {
  GITHUB: 'GitHub',
  JIRA: 'Jira',
  LAUNCHPAD: 'Launchpad',
};

const BASE_URL_VARIABLES: Record<IssueSource, string> = {
  GITHUB: 'GITHUB_API_URL',
  JIRA: 'JIRA_BASE_URL',
  LAUNCHPAD: 'LAUNCHPAD_API_URL',
};

const MIN_RETRY_AFTER_MS = 1000;

/** Returns the tracker's name as operators know it, such as "Jira". */
export function toTrackerName(tracker: IssueSource): string {
  return TRACKER_NAMES[tracker];
}

/**
 * Returns a URL fit for a message: scheme, host, port and path, without a
 * user name, password, query or fragment. Unparsable text becomes a fixed
 * placeholder, because it could hold anything.
 */
export function toDisplayUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(an invalid URL)';
  }

  const path = parsed.pathname === '/' ? '' : parsed.pathname;

  return `${parsed.protocol}//${parsed.host}${path.replace(/\/+$/, '')}`;
}

/** Returns the leading "<tracker> at <url>" of every message. */
export function describeTracker(context: HttpErrorContext): string {
  return `${toTrackerName(context.tracker)} at ${toDisplayUrl(context.baseUrl)}`;
}

/**
 * Turns an error thrown by an axios request into a TrackerError. The axios
 * error is never kept as `cause`, because its `config` contains the
 * Authorization header. A TrackerError passes through unchanged.
 *
 * @param error - whatever the request threw
 * @param context - the tracker and base URL that messages name
 * @returns the classified error; kind network for failures without a response
 */
export function classifyHttpError(
  error: unknown,
  context: HttpErrorContext,
): TrackerError {
  if (isTrackerError(error)) {
    return error;
  }

  const where = describeTracker(context);
  const urlVariable = BASE_URL_VARIABLES[context.tracker];

  if (isCancel(error) || isAxiosError(error)) {
    const config = (error as { config?: Record<string, unknown> }).config;
    const code = (error as { code?: string }).code ?? 'ERR_UNKNOWN';
    const message = (error as { message?: string }).message ?? '';

    if (isTimeout(code, config)) {
      const timeoutMs =
        typeof config?.timeout === 'number' ? config.timeout : 0;
      return new TrackerError(
        'network',
        context.tracker,
        `Request to ${where} timed out after ${timeoutMs} ms: check that ` +
          `the tracker is up and reachable, or raise TRACKER_TIMEOUT_MS`,
      );
    }

    if (message.startsWith('maxContentLength size of')) {
      const limit =
        typeof config?.maxContentLength === 'number'
          ? `${config.maxContentLength} bytes`
          : 'the size limit';
      return new TrackerError(
        'invalid_response',
        context.tracker,
        `Response from ${where} is larger than ${limit}: raise ` +
          `TRACKER_MAX_RESPONSE_BYTES if such answers are expected`,
      );
    }

    // A body cut off after a 2xx status line also carries the response, but
    // the failure is the connection, not the status.
    const status = (error as { response?: { status?: unknown } }).response
      ?.status;
    if (
      isAxiosError(error) &&
      error.response !== undefined &&
      typeof status === 'number' &&
      (status < 200 || status >= 300)
    ) {
      return classifyHttpStatus(error.response, context);
    }

    return new TrackerError(
      'network',
      context.tracker,
      describeNetworkFailure(code, where, urlVariable),
    );
  }

  const code = readErrorCode(error);

  return new TrackerError(
    'network',
    context.tracker,
    describeNetworkFailure(code, where, urlVariable),
  );
}

/**
 * Turns a response with a status outside 2xx into a TrackerError.
 *
 * @param response - the status and headers of the response
 * @param context - the tracker and base URL that messages name
 * @returns unavailable for 5xx, rate_limited for 429 (and 403 with rate-limit
 *   headers), unauthorized for 401, forbidden for 403, not_found for 404,
 *   not_configured for 410 and invalid_response for anything else
 */
export function classifyHttpStatus(
  response: HttpResponseLike,
  context: HttpErrorContext,
): TrackerError {
  const { status } = response;
  const headers = response.headers;
  const where = describeTracker(context);
  const prefix = `${status} ${STATUS_CODES[status] ?? 'Unknown Status'} from ${where}`;
  const urlVariable = BASE_URL_VARIABLES[context.tracker];
  const retryAfterMs = readRetryAfterMs(headers);
  const withStatus = { httpStatus: status };

  if (status === 429 || (status === 403 && isRateLimited(headers))) {
    const wait =
      retryAfterMs === undefined
        ? 'wait before trying again'
        : `retry after ${Math.ceil(retryAfterMs / 1000)} s`;
    return new TrackerError(
      'rate_limited',
      context.tracker,
      `${prefix}: rate limit reached, ${wait}`,
      { ...withStatus, retryAfterMs },
    );
  }

  if (status === 401) {
    return new TrackerError(
      'unauthorized',
      context.tracker,
      `${prefix}: ${context.credentialHint}`,
      withStatus,
    );
  }

  if (status === 403) {
    return new TrackerError(
      'forbidden',
      context.tracker,
      `${prefix}: access was denied (a private project, or an account ` +
        `without permission to read it)`,
      withStatus,
    );
  }

  if (status === 404) {
    return new TrackerError(
      'not_found',
      context.tracker,
      `${prefix}: the resource does not exist; check ${urlVariable}`,
      withStatus,
    );
  }

  if (status === 410) {
    // Fails at once: no retry brings a removed endpoint back.
    return new TrackerError(
      'not_configured',
      context.tracker,
      `${prefix}: the endpoint was removed; change ${urlVariable} or move ` +
        `to a version of issue-sync that uses the tracker's current API`,
      withStatus,
    );
  }

  if (status >= 500) {
    return new TrackerError(
      'unavailable',
      context.tracker,
      `${prefix}: the tracker is down or overloaded; try again later`,
      { ...withStatus, retryAfterMs },
    );
  }

  if (status >= 300 && status < 400) {
    return new TrackerError(
      'invalid_response',
      context.tracker,
      `${prefix}: redirects are not followed; check ${urlVariable}`,
      withStatus,
    );
  }

  return new TrackerError(
    'invalid_response',
    context.tracker,
    `${prefix}: the tracker rejected the request`,
    withStatus,
  );
}

/**
 * Reads how long a tracker requests clients to wait, from `Retry-After`
 * (seconds or an HTTP date) or else `X-RateLimit-Reset` (ISO 8601, or epoch
 * seconds as GitHub sends it). Values are clamped to at least 1 s, because
 * `Retry-After: 0` has been seen on responses that still reject at once.
 *
 * @param headers - response headers, as a plain object or axios headers
 * @param now - the current time in epoch milliseconds
 * @returns the wait in milliseconds, or undefined without a usable header
 */
export function readRetryAfterMs(
  headers: HttpResponseLike['headers'],
  now: number = Date.now(),
): number | undefined {
  const retryAfter = readHeader(headers, 'retry-after');
  const fromRetryAfter =
    retryAfter === undefined ? undefined : parseRetryAfter(retryAfter, now);
  if (fromRetryAfter !== undefined) {
    return Math.max(MIN_RETRY_AFTER_MS, fromRetryAfter);
  }

  const reset = readHeader(headers, 'x-ratelimit-reset');
  const fromReset = reset === undefined ? undefined : parseReset(reset, now);
  if (fromReset !== undefined) {
    return Math.max(MIN_RETRY_AFTER_MS, fromReset);
  }

  return undefined;
}

/** Returns a response header as one trimmed string, matching its name in any case. */
export function readHeader(
  headers: HttpResponseLike['headers'],
  name: string,
): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) {
      continue;
    }
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (typeof text === 'string' || typeof text === 'number') {
      return String(text).trim();
    }
  }

  return undefined;
}

function parseRetryAfter(value: string, now: number): number | undefined {
  if (/^\d+$/.test(value)) {
    return Number(value) * 1000;
  }

  const date = Date.parse(value);

  return Number.isNaN(date) ? undefined : date - now;
}

function parseReset(value: string, now: number): number | undefined {
  if (/^\d+$/.test(value)) {
    return Number(value) * 1000 - now;
  }

  const date = Date.parse(value);

  return Number.isNaN(date) ? undefined : date - now;
}

function isRateLimited(headers: HttpResponseLike['headers']): boolean {
  return (
    readHeader(headers, 'retry-after') !== undefined ||
    readHeader(headers, 'x-ratelimit-remaining') === '0'
  );
}

function isTimeout(
  code: string,
  config: Record<string, unknown> | undefined,
): boolean {
  if (code === 'ETIMEDOUT' || code === 'ECONNABORTED') {
    return true;
  }

  // The total deadline set by createHttpClient aborts through an
  // AbortSignal, which axios reports as a plain cancellation.
  const signal = config?.signal as { reason?: unknown } | undefined;
  const reason = signal?.reason as { name?: unknown } | undefined;

  return code === 'ERR_CANCELED' && reason?.name === 'TimeoutError';
}

function describeNetworkFailure(
  code: string,
  where: string,
  urlVariable: string,
): string {
  switch (code) {
    case 'ECONNREFUSED':
      return (
        `${where} refused the connection (ECONNREFUSED): check ` +
        `${urlVariable} and that the tracker is running`
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return (
        `The host of ${where} could not be resolved (${code}): check ` +
        `${urlVariable} and DNS`
      );
    case 'ECONNRESET':
    case 'ERR_BAD_RESPONSE':
      return (
        `The connection to ${where} was closed before the response ended ` +
        `(${code}): check the tracker's status and any proxy in between`
      );
    default:
      return (
        `Request to ${where} failed (${code}): check ${urlVariable} and ` +
        `the network between this host and the tracker`
      );
  }
}

function readErrorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;

  return typeof code === 'string' && /^[A-Z_]+$/.test(code)
    ? code
    : 'ERR_UNKNOWN';
}
