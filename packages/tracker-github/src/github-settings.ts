import type { AdapterOptions } from '@issue-sync/tracker-core';

/** Options of createGithubAdapter: the common adapter options plus GitHub's. */
export interface GithubAdapterOptions extends AdapterOptions {
  /** GITHUB_TOKEN; undefined makes every call fail with kind not_configured. */
  token: string | undefined;
  /**
   * GITHUB_API_URL: https://api.github.com, or https://HOST/api for GitHub
   * Enterprise Server. GraphQL is reached at `${apiUrl}/graphql`.
   */
  apiUrl: string;
}

/** Validated options with the URLs derived from them. */
export interface GithubSettings {
  token: string | undefined;
  /** apiUrl without a trailing slash. */
  apiUrl: string;
  /** Scheme, host and port of apiUrl: the only origin that gets the token. */
  origin: string;
  /** Base of REST paths such as /repos/{owner}/{repo}/issues/{n}. */
  restBaseUrl: string;
  timeoutMs: number;
  batchWindowMs: number;
  batchSize: number;
  maxResponseBytes: number;
  userAgent: string;
}

/** Maximum number of issues in one GraphQL query. */
export const MAX_BATCH_SIZE = 100;

/**
 * Checks the options and derives the URLs. Throws a plain Error naming the
 * option, because a bad option is a programming or configuration mistake
 * that no retry fixes.
 */
export function resolveGithubSettings(
  options: GithubAdapterOptions,
): GithubSettings {
  const url = parseApiUrl(options.apiUrl);
  const apiUrl = url.href.replace(/\/+$/, '');

  requirePositiveInteger('timeoutMs', options.timeoutMs);
  requirePositiveInteger('maxResponseBytes', options.maxResponseBytes);
  if (!Number.isInteger(options.batchWindowMs) || options.batchWindowMs < 0) {
    throw new Error(
      `GitHub adapter option batchWindowMs is ${String(options.batchWindowMs)}: expected an integer of 0 or more milliseconds`,
    );
  }
  if (
    !Number.isInteger(options.batchSize) ||
    options.batchSize < 1 ||
    options.batchSize > MAX_BATCH_SIZE
  ) {
    throw new Error(
      `GitHub adapter option batchSize is ${String(options.batchSize)}: expected an integer from 1 to ${MAX_BATCH_SIZE}`,
    );
  }
  if (options.userAgent.trim() === '') {
    throw new Error(
      'GitHub adapter option userAgent is empty: GitHub rejects requests without a User-Agent, so pass one such as "issue-sync/0.1.0"',
    );
  }
  checkToken(options.token);

  return {
    token: options.token === '' ? undefined : options.token,
    apiUrl,
    origin: url.origin,
    restBaseUrl: toRestBaseUrl(apiUrl, url),
    timeoutMs: options.timeoutMs,
    batchWindowMs: options.batchWindowMs,
    batchSize: options.batchSize,
    maxResponseBytes: options.maxResponseBytes,
    userAgent: options.userAgent,
  };
}

function parseApiUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(
      `GITHUB_API_URL "${value}" is not a valid URL: set it to https://api.github.com or https://HOST/api for GitHub Enterprise Server`,
    );
  }

  if (url.username !== '' || url.password !== '') {
    // The value is left out of the message on purpose: it contains a secret.
    throw new Error(
      'GITHUB_API_URL contains a user name or password: remove them and put the token in GITHUB_TOKEN',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(
      `GITHUB_API_URL "${value}" uses ${url.protocol.slice(0, -1)}: expected an http or https URL`,
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw new Error(
      `GITHUB_API_URL "${value}" has a query or fragment: expected a base URL such as https://api.github.com`,
    );
  }

  return url;
}

// GitHub Enterprise Server serves GraphQL at /api/graphql but REST at
// /api/v3 (@octokit/graphql 9 rewrites a /api/v3 base URL to /api/graphql
// for that reason), while api.github.com and the simulator serve both
// below the same base.
function toRestBaseUrl(apiUrl: string, url: URL): string {
  return /\/api\/?$/.test(url.pathname) ? `${apiUrl}/v3` : apiUrl;
}

function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(
      `GitHub adapter option ${name} is ${String(value)}: expected a positive integer`,
    );
  }
}

function checkToken(token: string | undefined): void {
  if (token === undefined || token === '') {
    return;
  }
  // Printable ASCII only: anything else cannot travel in an HTTP header,
  // and fetch would echo the whole header value in its error message.
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new Error(
      'GITHUB_TOKEN contains spaces, line breaks or non-ASCII characters: set it to the token alone',
    );
  }
}
