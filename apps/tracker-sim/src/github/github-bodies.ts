import { jsonReply, textReply, type Reply } from '../http-reply';

export const GRAPHQL_DOCS_URL = 'https://docs.github.com/graphql';
export const REST_DOCS_URL = 'https://docs.github.com/rest';
export const GET_ISSUE_DOCS_URL =
  'https://docs.github.com/rest/issues/issues#get-an-issue';
const SECONDARY_LIMIT_DOCS_URL =
  'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits';

let requestSeq = 0;

/** Returns a request id shaped like GitHub's `x-github-request-id`. */
export function nextGitHubRequestId(): string {
  requestSeq = (requestSeq + 1) % 0x100000000;
  const hex = requestSeq.toString(16).toUpperCase().padStart(8, '0');

  return `51A1:${hex.slice(0, 4)}:${hex}:${hex.slice(4)}:00000000`;
}

/** Returns the headers every GitHub response carries besides the rate-limit ones. */
export function githubBaseHeaders(
  mediaType: 'v3' | 'v4',
): Record<string, string> {
  return {
    'x-github-media-type': `github.${mediaType}; format=json`,
    'x-github-request-id': nextGitHubRequestId(),
    server: 'github.com',
  };
}

/** Returns the rate-limit headers GitHub sends on a GraphQL 401. */
function unauthenticatedHeaders(nowMs: number): Record<string, string> {
  return {
    ...githubBaseHeaders('v3'),
    'x-ratelimit-limit': '0',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': String(Math.floor(nowMs / 1000) + 3600),
    'x-ratelimit-resource': 'graphql',
    'x-ratelimit-used': '0',
  };
}

/** Builds GraphQL's 401 for a wrong token. */
export function graphqlBadCredentials(nowMs: number): Reply {
  return jsonReply(
    401,
    { message: 'Bad credentials', documentation_url: GRAPHQL_DOCS_URL },
    unauthenticatedHeaders(nowMs),
  );
}

/** Builds GraphQL's 401 for a request without a token. */
export function graphqlAuthenticationRequired(nowMs: number): Reply {
  return jsonReply(
    401,
    {
      message: 'This endpoint requires you to be authenticated.',
      documentation_url:
        'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql',
    },
    unauthenticatedHeaders(nowMs),
  );
}

/** REST's 401 for a wrong token; REST bodies carry `status` too. */
export function restBadCredentials(): Reply {
  return jsonReply(
    401,
    {
      message: 'Bad credentials',
      documentation_url: REST_DOCS_URL,
      status: '401',
    },
    githubBaseHeaders('v3'),
  );
}

/**
 * Builds the secondary rate limit response: 403 or 429 with Retry-After and no
 * x-ratelimit headers, pretty-printed as GitHub sends it.
 */
export function secondaryRateLimit(
  status: number,
  retryAfterSec: number,
): Reply {
  const requestId = nextGitHubRequestId();
  const body = {
    documentation_url: SECONDARY_LIMIT_DOCS_URL,
    message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. For more on scraping GitHub and how it may affect your rights, please review our Terms of Service (https://docs.github.com/en/site-policy/github-terms/github-terms-of-service) If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
  };
  const reply = jsonReply(status, body, {
    'retry-after': String(retryAfterSec),
    'x-github-media-type': 'github.v3; format=json',
    'x-github-request-id': requestId,
  });
  reply.body = JSON.stringify(body, null, 2);

  return reply;
}

/**
 * Builds GitHub's response for an HTTP status forced by a fault. 502 and 504 carry the
 * GraphQL timeout message; 401, 403 and 429 follow the cases above.
 * NOTE: the 403 (without Retry-After), 404 and 5xx bodies other than 502/504
 * are modelled on GitHub's REST error shape, not on recordings.
 */
export function githubStatusReply(
  status: number,
  retryAfterSec: number | undefined,
  nowMs: number,
): Reply {
  if (status === 401) {
    return graphqlBadCredentials(nowMs);
  }
  if (status === 429 || (status === 403 && retryAfterSec !== undefined)) {
    return secondaryRateLimit(status, retryAfterSec ?? 60);
  }
  const headers = githubBaseHeaders('v3');
  if (retryAfterSec !== undefined) {
    headers['retry-after'] = String(retryAfterSec);
  }
  if (status === 502 || status === 504) {
    return jsonReply(
      status,
      {
        data: null,
        errors: [
          {
            message: `Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. Please include \`${headers['x-github-request-id']}\` when reporting this issue.`,
          },
        ],
      },
      headers,
    );
  }
  const messages: Record<number, string> = {
    403: 'Resource not accessible by personal access token',
    404: 'Not Found',
    500: 'Server Error',
    503: 'Service Unavailable',
  };

  return jsonReply(
    status,
    {
      message: messages[status] ?? `HTTP ${status}`,
      documentation_url: GRAPHQL_DOCS_URL,
    },
    headers,
  );
}

/** Builds the HTML page GitHub's front end serves when no backend responds. */
export function githubHtmlPage(status: number): Reply {
  return textReply(
    status,
    '<!DOCTYPE html>\n<html>\n  <head>\n    <meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n    <title>Unicorn! &middot; GitHub</title>\n  </head>\n  <body>\n    <p><strong>No server is currently available to service your request.</strong></p>\n    <p>Sorry about that. Please try refreshing and contact us if the problem persists.</p>\n  </body>\n</html>\n',
    {},
    'text/html; charset=utf-8',
  );
}
