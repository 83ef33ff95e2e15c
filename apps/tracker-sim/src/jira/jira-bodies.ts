import { jsonReply, textReply, type Reply } from '../http-reply';
import type { JiraRecord } from '../issue-store';
import type { JiraStatusCategory } from '../types';

export const JIRA_JSON = 'application/json;charset=UTF-8';

/** Fields the simulator stores; `*all` and `*navigable` mean all of them. */
export const JIRA_FIELDS = [
  'summary',
  'status',
  'labels',
  'resolution',
] as const;

export type JiraField = (typeof JIRA_FIELDS)[number];

const ISSUE_EXPAND =
  'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations';

// Ids, colours and names of Jira Cloud's three status categories.
const CATEGORIES: Record<
  JiraStatusCategory,
  { id: number; colorName: string; name: string }
> = {
  new: { id: 2, colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, colorName: 'green', name: 'Done' },
};

// Status ids of the default Jira Cloud workflow; other names get a stable id.
const STATUS_IDS: Record<string, string> = {
  'to do': '10000',
  'in progress': '3',
  'in review': '10001',
  done: '10002',
};

function statusId(name: string): string {
  const known = STATUS_IDS[name.toLowerCase()];
  if (known !== undefined) {
    return known;
  }
  let hash = 0;
  for (const char of name) {
    hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
  }

  return String(10100 + (hash % 900));
}

let requestSeq = 0;

/** Returns the headers every Jira response carries. */
export function jiraHeaders(
  extra: Record<string, string> = {},
): Record<string, string> {
  requestSeq = (requestSeq + 1) % 0x100000000;
  const hex = requestSeq.toString(16).padStart(16, '0');

  return {
    'x-arequestid': `sim-${hex}`,
    'atl-traceid': hex,
    ...extra,
  };
}

function toFieldValues(
  record: JiraRecord,
  fields: ReadonlySet<JiraField>,
  apiBase: string,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  if (fields.has('summary')) {
    values.summary = record.title;
  }
  if (fields.has('status')) {
    const id = statusId(record.statusName);
    const category = CATEGORIES[record.statusCategory];
    values.status = {
      self: `${apiBase}/status/${id}`,
      description: '',
      iconUrl: `${apiBase.replace(/\/rest\/api\/3$/, '')}/`,
      name: record.statusName,
      id,
      statusCategory: {
        self: `${apiBase}/statuscategory/${category.id}`,
        id: category.id,
        key: record.statusCategory,
        colorName: category.colorName,
        name: category.name,
      },
    };
  }
  if (fields.has('labels')) {
    values.labels = record.labels;
  }
  if (fields.has('resolution')) {
    values.resolution =
      record.resolution === null
        ? null
        : {
            self: `${apiBase}/resolution/10000`,
            id: '10000',
            description: 'Work has been completed on this issue.',
            name: record.resolution,
          };
  }

  return values;
}

/**
 * Builds an issue as `GET /issue/{key}` returns it. A moved issue carries its
 * new key, whichever key it was requested by.
 */
export function toJiraIssue(
  record: JiraRecord,
  fields: ReadonlySet<JiraField>,
  apiBase: string,
  expand = ISSUE_EXPAND,
): Record<string, unknown> {
  return {
    expand,
    id: record.numericId,
    self: `${apiBase}/issue/${record.numericId}`,
    key: record.movedTo ?? record.issueKey,
    fields: toFieldValues(record, fields, apiBase),
  };
}

/** Jira's `{"errorMessages": [...], "errors": {}}` error body. */
export function jiraErrorReply(status: number, message: string): Reply {
  return jsonReply(
    status,
    { errorMessages: [message], errors: {} },
    jiraHeaders(),
    JIRA_JSON,
  );
}

/** Jira's 400 for JQL it rejects. */
export function jqlErrorReply(message: string): Reply {
  return jsonReply(
    400,
    { errorMessages: [message], warningMessages: [] },
    jiraHeaders({ 'x-seraph-loginreason': 'OK' }),
    JIRA_JSON,
  );
}

export function issueNotFoundReply(): Reply {
  return jiraErrorReply(
    404,
    'Issue does not exist or you do not have permission to see it.',
  );
}

export function searchRemovedReply(): Reply {
  return jiraErrorReply(
    410,
    'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046',
  );
}

/** Builds the 401 for a request without credentials. */
export function authenticationRequiredReply(): Reply {
  return jsonReply(
    401,
    {
      message: 'Client must be authenticated to access this resource.',
      'status-code': 401,
    },
    jiraHeaders(),
    JIRA_JSON,
  );
}

/** Builds the plain-text 401 Jira Cloud sends for a wrong e-mail and token pair. */
export function wrongCredentialsReply(): Reply {
  return textReply(
    401,
    'Basic authentication with passwords is deprecated. For more information, see: https://developer.atlassian.com/cloud/confluence/deprecation-notice-basic-auth/',
    jiraHeaders({
      'x-seraph-loginreason': 'AUTHENTICATED_FAILED',
      'www-authenticate': 'Basic realm="protected-area"',
    }),
  );
}

/** Jira's HTML error page, as its 429 and proxy errors send it. */
export function jiraHtmlPage(
  status: number,
  headers: Record<string, string> = {},
): Reply {
  const page =
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Oops - an error has occurred</title></head>' +
    `<body class=" error-page error${status}"><div id="page"><section id="content" role="main"><div id="error-state">` +
    '<h1>Something went wrong</h1><p>Try reloading the page, then check our <a href="https://status.atlassian.com">Statuspage</a> for any current outages.</p>' +
    '</div></section></div></body></html>';

  return textReply(
    status,
    page,
    jiraHeaders(headers),
    'text/html;charset=UTF-8',
  );
}

/** Headers of a Jira 429, after Atlassian's rate-limiting documentation. */
export function rateLimitHeaders(
  retryAfterSec: number,
  limit: number,
  resetAtMs: number,
): Record<string, string> {
  return {
    'retry-after': String(retryAfterSec),
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': new Date(resetAtMs)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z'),
    'ratelimit-reason': 'jira-quota-based',
  };
}

/**
 * Builds Jira's response for an HTTP status forced by a fault.
 * NOTE: the 403 and 5xx bodies are modelled on Jira's error shape; no
 * recording of them was available.
 */
export function jiraStatusReply(
  status: number,
  retryAfterSec: number | undefined,
  nowMs: number,
): Reply {
  if (status === 401) {
    return authenticationRequiredReply();
  }
  if (status === 404) {
    return issueNotFoundReply();
  }
  if (status === 410) {
    return searchRemovedReply();
  }
  if (status === 429) {
    const wait = retryAfterSec ?? 60;

    return jiraHtmlPage(429, rateLimitHeaders(wait, 100, nowMs + wait * 1000));
  }
  const headers: Record<string, string> =
    retryAfterSec === undefined ? {} : { 'retry-after': String(retryAfterSec) };
  if (status === 502 || status === 503 || status === 504) {
    return jiraHtmlPage(status, headers);
  }
  const messages: Record<number, string> = {
    403: 'You do not have the permission to see the specified issue.',
    500: 'Internal server error',
  };
  const reply = jiraErrorReply(status, messages[status] ?? `HTTP ${status}`);
  Object.assign(reply.headers, headers);

  return reply;
}
