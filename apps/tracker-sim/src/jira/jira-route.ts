import { createHash } from 'node:crypto';

import { jsonReply, type Reply } from '../http-reply';
import type { IssueStore, JiraRecord } from '../issue-store';
import type { WindowBudget } from '../rate-budgets';
import type { RouteRequest, RouteResult, TrackerRoute } from '../route';
import {
  authenticationRequiredReply,
  issueNotFoundReply,
  JIRA_JSON,
  jiraErrorReply,
  jiraHeaders,
  jiraHtmlPage,
  jqlErrorReply,
  rateLimitHeaders,
  searchRemovedReply,
  toJiraIssue,
  wrongCredentialsReply,
} from './jira-bodies';
import { JqlError, parseKeyQuery } from './jql';
import {
  compareKeys,
  decodePageToken,
  encodePageToken,
  resolveFields,
} from './jira-search';

export interface JiraRouteOptions {
  store: IssueStore;
  /** Basic-auth pair every request must carry; undefined accepts any or none. */
  user: { username: string; token: string } | undefined;
  /** Requests per second before 429; undefined for no limit. */
  budget: WindowBudget | undefined;
}

const ISSUE_PATH = /^\/rest\/api\/3\/issue\/([^/]+)$/;
const REMOVED_SEARCH_PATH = /^\/rest\/api\/(?:2|3|latest)\/search$/;
const SEARCH_PATH = '/rest/api/3/search/jql';
const MYSELF_PATH = '/rest/api/3/myself';
const DEFAULT_MAX_RESULTS = 50;
// NOTE: Jira documents 5000 as the most ids per page and returns fewer when
// fields are requested; 100 with fields is the simulator's own choice.
const MAX_RESULTS_IDS_ONLY = 5000;
const MAX_RESULTS_WITH_FIELDS = 100;

interface SearchParams {
  jql: string;
  fields: string[] | undefined;
  maxResults: unknown;
  nextPageToken: unknown;
}

/** Serves Jira Cloud REST v3 below `/jira`. */
export class JiraRoute implements TrackerRoute {
  constructor(private readonly options: JiraRouteOptions) {}

  endpointOf(method: string, path: string): string {
    if (ISSUE_PATH.test(path)) {
      return `${method} /rest/api/3/issue/{key}`;
    }
    if (
      path === SEARCH_PATH ||
      path === MYSELF_PATH ||
      REMOVED_SEARCH_PATH.test(path)
    ) {
      return `${method} ${path}`;
    }

    return `${method} (unmatched)`;
  }

  handle(request: RouteRequest): RouteResult {
    if (REMOVED_SEARCH_PATH.test(request.path)) {
      return { reply: searchRemovedReply(), touched: [] };
    }
    const denied = this.checkCredentials(request);
    if (denied !== undefined) {
      return { reply: denied, touched: [] };
    }
    const limited = this.checkRate(request);
    if (limited !== undefined) {
      return { reply: limited, touched: [], rateLimited: true };
    }

    const apiBase = `${request.origin}/jira/rest/api/3`;
    const issueMatch = ISSUE_PATH.exec(request.path);
    if (issueMatch !== null && request.method === 'GET') {
      return this.getIssue(
        decodeURIComponent(issueMatch[1]!),
        request,
        apiBase,
      );
    }
    if (
      request.path === SEARCH_PATH &&
      (request.method === 'GET' || request.method === 'POST')
    ) {
      return this.search(request, apiBase);
    }
    if (request.path === MYSELF_PATH && request.method === 'GET') {
      return { reply: this.myself(apiBase), touched: [] };
    }

    return {
      reply: jiraErrorReply(
        404,
        `No resource found for ${request.method} ${request.path}.`,
      ),
      touched: [],
    };
  }

  private checkCredentials(request: RouteRequest): Reply | undefined {
    const user = this.options.user;
    if (user === undefined) {
      return undefined;
    }
    const header = request.headers.authorization;
    if (header === undefined) {
      return authenticationRequiredReply();
    }
    const match = /^basic\s+(\S+)$/i.exec(header.trim());
    const decoded =
      match === null ? '' : Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const valid =
      colon > 0 &&
      decoded.slice(0, colon) === user.username &&
      decoded.slice(colon + 1) === user.token;

    return valid ? undefined : wrongCredentialsReply();
  }

  private checkRate(request: RouteRequest): Reply | undefined {
    const budget = this.options.budget;
    if (budget === undefined) {
      return undefined;
    }
    const state = budget.charge(1, request.now);
    if (state.allowed) {
      return undefined;
    }
    // Atlassian sends whole seconds; never 0, so clients do not spin.
    const retryAfterSec = Math.max(
      1,
      Math.ceil((state.resetAtMs - request.now) / 1000),
    );

    return jiraHtmlPage(
      429,
      rateLimitHeaders(retryAfterSec, state.limit, state.resetAtMs),
    );
  }

  private getIssue(
    key: string,
    request: RouteRequest,
    apiBase: string,
  ): RouteResult {
    const record = this.options.store.jiraIssue(key);
    const touched = [record?.id ?? `jira:${key.toUpperCase()}`];
    if (record === undefined) {
      return { reply: issueNotFoundReply(), touched };
    }
    const fieldsParam = request.query.getAll('fields');
    const fields = resolveFields(
      fieldsParam.length === 0 ? ['*navigable'] : fieldsParam,
    );

    return {
      reply: jsonReply(
        200,
        toJiraIssue(record, fields, apiBase),
        this.okHeaders(),
        JIRA_JSON,
      ),
      touched,
    };
  }

  private readSearchParams(request: RouteRequest): SearchParams | Reply {
    if (request.method === 'GET') {
      const fields = request.query.getAll('fields');

      return {
        jql: request.query.get('jql') ?? '',
        fields: fields.length === 0 ? undefined : fields,
        maxResults: request.query.get('maxResults') ?? undefined,
        nextPageToken: request.query.get('nextPageToken') ?? undefined,
      };
    }

    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return jiraErrorReply(400, 'The request body is not valid JSON.');
    }
    if (typeof body !== 'object' || body === null) {
      return jiraErrorReply(400, 'The request body must be a JSON object.');
    }
    const { jql, fields, maxResults, nextPageToken } = body as Record<
      string,
      unknown
    >;
    if (
      fields !== undefined &&
      (!Array.isArray(fields) || fields.some((f) => typeof f !== 'string'))
    ) {
      return jiraErrorReply(400, 'fields must be an array of field names.');
    }

    return {
      jql: typeof jql === 'string' ? jql : '',
      fields: fields as string[] | undefined,
      maxResults,
      nextPageToken,
    };
  }

  private search(request: RouteRequest, apiBase: string): RouteResult {
    const params = this.readSearchParams(request);
    if ('status' in params) {
      return { reply: params, touched: [] };
    }

    let query;
    try {
      query = parseKeyQuery(params.jql);
    } catch (error) {
      if (error instanceof JqlError) {
        return { reply: jqlErrorReply(error.message), touched: [] };
      }
      throw error;
    }

    const fields =
      params.fields === undefined ? undefined : resolveFields(params.fields);
    const pageLimit =
      fields === undefined ? MAX_RESULTS_IDS_ONLY : MAX_RESULTS_WITH_FIELDS;
    const maxResults =
      params.maxResults === undefined
        ? DEFAULT_MAX_RESULTS
        : Number(params.maxResults);
    if (!Number.isInteger(maxResults) || maxResults < 1) {
      return {
        reply: jiraErrorReply(
          400,
          `maxResults is ${JSON.stringify(params.maxResults)}; expected a positive integer.`,
        ),
        touched: [],
      };
    }
    let offset = 0;
    if (params.nextPageToken !== undefined && params.nextPageToken !== null) {
      const decoded =
        typeof params.nextPageToken === 'string'
          ? decodePageToken(params.nextPageToken, params.jql)
          : undefined;
      if (decoded === undefined) {
        return {
          reply: jiraErrorReply(
            400,
            'The nextPageToken is invalid or does not belong to this JQL query.',
          ),
          touched: [],
        };
      }
      offset = decoded;
    }

    const touched: string[] = [];
    const found = new Map<string, JiraRecord>();
    for (const key of query.keys) {
      const record = this.options.store.jiraIssue(key);
      if (record === undefined) {
        // Missing keys give no result and no error on /search/jql.
        if (!/^[0-9]+$/.test(key)) {
          touched.push(`jira:${key}`);
        }
        continue;
      }
      touched.push(record.id);
      found.set(record.id, record);
    }
    const ordered = [...found.values()].sort(compareKeys);
    if (query.direction === 'DESC') {
      ordered.reverse();
    }

    const pageSize = Math.min(maxResults, pageLimit);
    const page = ordered.slice(offset, offset + pageSize);
    const isLast = offset + pageSize >= ordered.length;
    const body: Record<string, unknown> = {
      issues: page.map((record) =>
        fields === undefined
          ? { id: record.numericId }
          : toJiraIssue(record, fields, apiBase, ''),
      ),
    };
    if (!isLast) {
      body.nextPageToken = encodePageToken(offset + pageSize, params.jql);
    }
    body.isLast = isLast;

    return {
      reply: jsonReply(200, body, this.okHeaders(), JIRA_JSON),
      touched,
    };
  }

  private myself(apiBase: string): Reply {
    const emailAddress = this.options.user?.username ?? 'anonymous@example.com';
    const accountId = `557058:${createHash('sha1').update(emailAddress).digest('hex').slice(0, 32)}`;

    return jsonReply(
      200,
      {
        self: `${apiBase}/user?accountId=${accountId}`,
        accountId,
        accountType: 'atlassian',
        emailAddress,
        displayName: 'Simulated User',
        active: true,
        timeZone: 'Etc/UTC',
        locale: 'en_US',
      },
      this.okHeaders(),
      JIRA_JSON,
    );
  }

  private okHeaders(): Record<string, string> {
    return jiraHeaders({ 'x-seraph-loginreason': 'OK' });
  }
}
