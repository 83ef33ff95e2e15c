import {
  type DocumentNode,
  executeSync,
  GraphQLError,
  parse,
  validate,
} from 'graphql';

import { jsonReply, type Reply } from '../http-reply';
import type { IssueStore } from '../issue-store';
import type { WindowBudget } from '../rate-budgets';
import type { RouteRequest, RouteResult, TrackerRoute } from '../route';
import {
  githubBaseHeaders,
  GRAPHQL_DOCS_URL,
  graphqlAuthenticationRequired,
  graphqlBadCredentials,
  restBadCredentials,
} from './github-bodies';
import {
  type GitHubErrorEntry,
  toGitHubExecutionErrors,
  toGitHubParseError,
  toGitHubValidationErrors,
} from './graphql-errors';
import { estimateQueryCost } from './query-cost';
import {
  githubRoot,
  type GitHubQueryContext,
  type RateLimitFigures,
} from './resolvers';
import { handleRestRequest, restEndpointOf } from './rest-issues';
import { getGitHubSchema } from './schema';

export interface GitHubRouteOptions {
  store: IssueStore;
  /** Token every request must carry; undefined accepts any or none. */
  token: string | undefined;
  /** `x-oauth-scopes` of the token, such as `repo`. */
  scopes: string;
  viewerLogin: string;
  budget: WindowBudget;
}

type ParsedDocument =
  | { document: DocumentNode; errors?: undefined }
  | { document?: undefined; errors: GitHubErrorEntry[] };

const DOCUMENT_CACHE_SIZE = 500;

/** Reads `Authorization: bearer X` or `token X`; null for another form. */
function readToken(header: string | undefined): string | undefined | null {
  if (header === undefined || header.trim() === '') {
    return undefined;
  }
  const match = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(header);

  return match === null ? null : match[1]!;
}

/** Builds a request failure that GitHub reports as 200 with errors only. */
function errorsOnly(message: string): {
  failure: { status: number; content: unknown };
} {
  return { failure: { status: 200, content: { errors: [{ message }] } } };
}

function toIsoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Serves `POST /graphql` and the REST issue endpoints below `/github`. */
export class GitHubRoute implements TrackerRoute {
  private readonly documents = new Map<string, ParsedDocument>();

  constructor(private readonly options: GitHubRouteOptions) {
    // Build the schema now so the first request does not pay for it.
    getGitHubSchema();
  }

  endpointOf(method: string, path: string): string {
    if (path === '/graphql') {
      return `${method} /graphql`;
    }

    return restEndpointOf(method, path) ?? `${method} (unmatched)`;
  }

  handle(request: RouteRequest): RouteResult {
    if (request.path === '/graphql' && request.method === 'POST') {
      return this.handleGraphql(request);
    }
    const authorization = this.checkRestAuthorization(request);
    if (authorization !== undefined) {
      return { reply: authorization, touched: [] };
    }

    return handleRestRequest(request, this.options.store);
  }

  private checkRestAuthorization(request: RouteRequest): Reply | undefined {
    const token = readToken(request.headers.authorization);
    // REST serves anonymous requests, so only a wrong token is rejected.
    if (this.options.token === undefined || token === undefined) {
      return undefined;
    }

    return token === this.options.token ? undefined : restBadCredentials();
  }

  private handleGraphql(request: RouteRequest): RouteResult {
    const token = readToken(request.headers.authorization);
    if (this.options.token !== undefined) {
      if (token === undefined) {
        return {
          reply: graphqlAuthenticationRequired(request.now),
          touched: [],
        };
      }
      if (token !== this.options.token) {
        return { reply: graphqlBadCredentials(request.now), touched: [] };
      }
    }

    const body = this.parseBody(request.body);
    if ('failure' in body) {
      const { status, content } = body.failure;

      return {
        reply: this.respond(content, request, this.peek(request), status),
        touched: [],
      };
    }
    const parsed = this.parseDocument(body.query);
    if (parsed.errors !== undefined) {
      return {
        reply: this.respond(
          { errors: parsed.errors },
          request,
          this.peek(request),
        ),
        touched: [],
      };
    }

    const cost = estimateQueryCost(
      parsed.document,
      body.operationName,
      body.variables,
    );
    const budget = this.options.budget.charge(
      cost.dryRun ? 0 : cost.cost,
      request.now,
    );
    if (!budget.allowed) {
      const reply = this.respond(
        {
          errors: [
            {
              type: 'RATE_LIMIT',
              code: 'graphql_rate_limit',
              message: 'API rate limit already exceeded for user ID 1.',
            },
          ],
        },
        request,
        { ...budget, remaining: 0 },
      );

      return { reply, touched: [], rateLimited: true };
    }

    const context: GitHubQueryContext = {
      store: this.options.store,
      touched: [],
      viewerLogin: this.options.viewerLogin,
      rateLimit: {
        limit: budget.limit,
        cost: cost.cost,
        remaining: budget.remaining,
        resetAt: toIsoSeconds(budget.resetAtMs),
        used: budget.used,
        nodeCount: cost.nodeCount,
      },
    };
    const result = executeSync({
      schema: getGitHubSchema(),
      document: parsed.document,
      rootValue: githubRoot,
      contextValue: context,
      variableValues: body.variables,
      operationName: body.operationName,
    });
    const response: Record<string, unknown> = {};
    if (result.data !== undefined) {
      response.data = result.data;
    }
    if (result.errors !== undefined && result.errors.length > 0) {
      response.errors = toGitHubExecutionErrors(result.errors);
    }

    return {
      reply: this.respond(response, request, budget),
      touched: context.touched,
    };
  }

  private parseBody(text: string):
    | {
        query: string;
        variables: Record<string, unknown>;
        operationName?: string;
      }
    | { failure: { status: number; content: unknown } } {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      const content = {
        message: 'Problems parsing JSON',
        documentation_url: GRAPHQL_DOCS_URL,
      };

      return { failure: { status: 400, content } };
    }
    const body = (
      typeof value === 'object' && value !== null ? value : {}
    ) as Record<string, unknown>;
    const { query, variables, operationName } = body;
    if (typeof query !== 'string') {
      return errorsOnly(
        'A query attribute must be specified and must be a string.',
      );
    }
    if (
      variables !== undefined &&
      variables !== null &&
      typeof variables !== 'object'
    ) {
      return errorsOnly('Variables must be a JSON object.');
    }

    return {
      query,
      variables: (variables ?? {}) as Record<string, unknown>,
      ...(typeof operationName === 'string' ? { operationName } : {}),
    };
  }

  /** Parses and validates a query once; batches repeat the same text. */
  private parseDocument(query: string): ParsedDocument {
    const cached = this.documents.get(query);
    if (cached !== undefined) {
      return cached;
    }

    let parsed: ParsedDocument;
    try {
      const document = parse(query);
      const errors = validate(getGitHubSchema(), document);
      parsed =
        errors.length > 0
          ? { errors: toGitHubValidationErrors(document, errors) }
          : { document };
    } catch (error) {
      if (!(error instanceof GraphQLError)) {
        throw error;
      }
      parsed = { errors: [toGitHubParseError(error)] };
    }

    if (this.documents.size >= DOCUMENT_CACHE_SIZE) {
      const oldest = this.documents.keys().next().value;
      if (oldest !== undefined) {
        this.documents.delete(oldest);
      }
    }
    this.documents.set(query, parsed);

    return parsed;
  }

  private peek(
    request: RouteRequest,
  ): RateLimitFigures & { resetAtMs: number } {
    const state = this.options.budget.charge(0, request.now);

    return {
      ...state,
      cost: 0,
      nodeCount: 0,
      resetAt: toIsoSeconds(state.resetAtMs),
    };
  }

  /** Wraps a GraphQL result in GitHub's headers. GraphQL errors keep status 200. */
  private respond(
    body: unknown,
    request: RouteRequest,
    budget: {
      limit: number;
      remaining: number;
      used: number;
      resetAtMs: number;
    },
    status = 200,
  ): Reply {
    const headers: Record<string, string> = {
      ...githubBaseHeaders('v4'),
      'x-ratelimit-limit': String(budget.limit),
      'x-ratelimit-remaining': String(budget.remaining),
      'x-ratelimit-reset': String(Math.ceil(budget.resetAtMs / 1000)),
      'x-ratelimit-used': String(budget.used),
      'x-ratelimit-resource': 'graphql',
      'x-accepted-oauth-scopes': 'repo',
    };
    if (request.headers.authorization !== undefined) {
      headers['x-oauth-scopes'] = this.options.scopes;
    }

    return jsonReply(status, body, headers);
  }
}
