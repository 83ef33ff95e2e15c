import type { TrackerError } from '@issue-sync/tracker-core';

import { toMessageExcerpt, type GithubErrorFactory } from './github-errors';
import type { HttpExchange } from './http-transport';
import { computeRetryAfterMs, isRateLimitResponse } from './rate-limit';

/** One entry of a GraphQL response's `errors` array. */
export interface GraphqlErrorEntry {
  type?: string;
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string };
}

/** A request that failed as a whole, and whether its issues may be asked for one by one. */
export interface RequestFailure {
  error: TrackerError;
  /**
   * False when asking again per issue cannot help because the cause
   * concerns every issue: credentials, rate limits, or a bad query.
   */
  splittable: boolean;
}

const UNSPLITTABLE_KINDS = new Set([
  'unauthorized',
  'rate_limited',
  'not_configured',
  'forbidden',
]);

/** Classifies a failure by kind alone, for errors that carry no other hint. */
export function toRequestFailure(error: TrackerError): RequestFailure {
  return { error, splittable: !UNSPLITTABLE_KINDS.has(error.kind) };
}

/** Turns the JSON `message` of an error body into one short line, if there is one. */
export function readServerMessage(text: string | undefined): string {
  if (text === undefined || text === '') {
    return '';
  }
  try {
    const body: unknown = JSON.parse(text);
    if (
      typeof body === 'object' &&
      body !== null &&
      typeof (body as { message?: unknown }).message === 'string'
    ) {
      return toMessageExcerpt((body as { message: string }).message);
    }
  } catch {
    // Not JSON: callers fall back to the status alone.
  }

  return '';
}

/** Tells whether a body is an HTML page, as GitHub's proxies send during outages. */
export function isHtmlBody(exchange: HttpExchange): boolean {
  const contentType = exchange.headers?.get('content-type') ?? '';
  if (/text\/html/i.test(contentType)) {
    return true;
  }

  return /^\s*<(!doctype|html)/i.test(exchange.text ?? '');
}

/**
 * Classifies a response that is not a usable 2xx JSON body, by status,
 * rate-limit headers and body. `requestLabel` names the request in messages.
 */
export function classifyHttpResponse(
  exchange: HttpExchange,
  errors: GithubErrorFactory,
  lastResetAt: string | undefined,
  requestLabel: string,
): TrackerError {
  const status = exchange.status ?? 0;
  const httpStatus = status;
  const message = readServerMessage(exchange.text);
  const where = `GitHub at ${errors.apiUrl}`;

  if (status === 401) {
    return errors.unauthorized();
  }
  if (isRateLimitResponse(status, exchange.headers, message)) {
    return rateLimited(errors, exchange, lastResetAt, message, httpStatus);
  }
  if (status === 403) {
    return errors.create(
      'forbidden',
      `403 Forbidden from ${where}${message ? `: ${message}` : ''}; check that GITHUB_TOKEN may read the repository (SAML single sign-on, IP allow lists and fine-grained token permissions can block it)`,
      { httpStatus },
    );
  }
  if (status >= 500 || (status >= 400 && isHtmlBody(exchange))) {
    return errors.create(
      'unavailable',
      `${where} is unavailable (HTTP ${status}${isHtmlBody(exchange) ? ', an HTML error page' : ''}): GitHub or a proxy in front of it may be down or overloaded`,
      { httpStatus },
    );
  }
  if (status >= 200 && status < 300 && isHtmlBody(exchange)) {
    return errors.create(
      'unavailable',
      `${where} sent an HTML page instead of JSON (HTTP ${status}) for ${requestLabel}: GitHub or a proxy in front of it is likely failing`,
      { httpStatus },
    );
  }
  if (status === 404) {
    return errors.create(
      'not_found',
      `${where} answered 404 Not Found for ${requestLabel}: check GITHUB_API_URL (https://api.github.com, or https://HOST/api for GitHub Enterprise Server)`,
      { httpStatus },
    );
  }
  if (status >= 300 && status < 400) {
    const location = exchange.headers?.get('location') ?? 'no location';
    return errors.create(
      'invalid_response',
      `${where} redirected ${requestLabel} to ${location} (HTTP ${status}), which is not followed: check GITHUB_API_URL`,
      { httpStatus },
    );
  }

  return errors.create(
    'invalid_response',
    `${where} rejected ${requestLabel} with HTTP ${status}${message ? `: ${message}` : ''}`,
    { httpStatus },
  );
}

function rateLimited(
  errors: GithubErrorFactory,
  exchange: HttpExchange,
  lastResetAt: string | undefined,
  message: string,
  httpStatus: number,
): TrackerError {
  const retryAfterMs = computeRetryAfterMs(exchange.headers, lastResetAt);
  const limit = /secondary/i.test(message)
    ? 'secondary rate limit'
    : 'rate limit';

  return errors.create(
    'rate_limited',
    `GitHub ${limit} exceeded at ${errors.apiUrl}${message ? ` (${message})` : ''}: requests resume in ${Math.ceil(retryAfterMs / 1000)} s`,
    { httpStatus, retryAfterMs },
  );
}

/** Tells whether a GraphQL error entry reports a primary or secondary rate limit. */
export function isRateLimitEntry(entry: GraphqlErrorEntry): boolean {
  return (
    entry.type === 'RATE_LIMIT' ||
    entry.type === 'RATE_LIMITED' ||
    /secondary rate limit/i.test(entry.message)
  );
}

/** Classifies a rate-limited GraphQL response, which GitHub sends with HTTP 200. */
export function classifyRateLimitEntry(
  entry: GraphqlErrorEntry,
  exchange: HttpExchange,
  errors: GithubErrorFactory,
  lastResetAt: string | undefined,
): TrackerError {
  return rateLimited(
    errors,
    exchange,
    lastResetAt,
    toMessageExcerpt(entry.message),
    exchange.status ?? 200,
  );
}

/**
 * Classifies GraphQL errors that came without any `data`, so they concern
 * the whole query. Untyped errors are schema or syntax mistakes in the
 * query itself, except GitHub's untyped timeout message.
 */
export function classifyQueryErrors(
  entries: GraphqlErrorEntry[],
  exchange: HttpExchange,
  errors: GithubErrorFactory,
  lastResetAt: string | undefined,
): RequestFailure {
  const httpStatus = exchange.status ?? 200;
  const rateLimitEntry = entries.find(isRateLimitEntry);
  if (rateLimitEntry !== undefined) {
    return {
      error: classifyRateLimitEntry(
        rateLimitEntry,
        exchange,
        errors,
        lastResetAt,
      ),
      splittable: false,
    };
  }

  const first = entries[0] ?? { message: 'no errors listed' };
  const message = toMessageExcerpt(first.message);
  if (
    first.type === undefined &&
    /timeout|timed out|something went wrong/i.test(message)
  ) {
    return {
      error: errors.create(
        'unavailable',
        `GitHub at ${errors.apiUrl} could not finish the query: ${message}`,
        { httpStatus },
      ),
      splittable: true,
    };
  }
  if (first.type === undefined) {
    return {
      error: errors.create(
        'invalid_response',
        `GitHub at ${errors.apiUrl} rejected the query as invalid (${message}): this is a bug in the issue-sync GitHub adapter, not a problem with the issue; report it with this message`,
        { httpStatus },
      ),
      splittable: false,
    };
  }

  // Typed errors without data are limits on the query as a whole, such as
  // MAX_NODE_LIMIT_EXCEEDED, which smaller queries stay under.
  return {
    error: errors.create(
      'invalid_response',
      `GitHub at ${errors.apiUrl} rejected the query (${first.type}: ${message})`,
      { httpStatus },
    ),
    splittable: true,
  };
}
