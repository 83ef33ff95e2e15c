import { graphql } from '@octokit/graphql';
import {
  isTrackerError,
  type AdapterLogger,
  type AdapterObserver,
} from '@issue-sync/tracker-core';

import type { GithubErrorFactory } from './github-errors';
import type { GithubSettings } from './github-settings';
import type { HttpExchange, HttpTransport } from './http-transport';
import { isObject, readStringField } from './json-value';
import {
  classifyHttpResponse,
  classifyQueryErrors,
  classifyRateLimitEntry,
  isHtmlBody,
  isRateLimitEntry,
  toRequestFailure,
  type GraphqlErrorEntry,
  type RequestFailure,
} from './response-classifier';

/** A GraphQL response with data, possibly partial. */
export interface GraphqlSuccess {
  ok: true;
  data: Record<string, unknown>;
  /** Errors that point at parts of `data`, such as a NOT_FOUND alias. */
  errors: GraphqlErrorEntry[];
  httpStatus: number;
  headers: Headers | undefined;
}

export type GraphqlResult = GraphqlSuccess | ({ ok: false } & RequestFailure);

/** The last `rateLimit` object GitHub returned. */
export interface RateLimitState {
  remaining?: number;
  resetAt?: string;
}

type GraphqlClient = typeof graphql;

/**
 * Sends GraphQL queries through `@octokit/graphql` and turns every outcome
 * into data plus per-field errors, or one classified failure. The octokit
 * error objects never leave this class: `GraphqlResponseError.request`
 * contains the Authorization header.
 */
export class GraphqlRequester {
  readonly rateLimit: RateLimitState = {};
  private readonly client: GraphqlClient;

  constructor(
    private readonly settings: GithubSettings,
    private readonly transport: HttpTransport,
    private readonly errors: GithubErrorFactory,
    private readonly observer: AdapterObserver | undefined,
    logger: AdapterLogger | undefined,
  ) {
    const warn = (message: string) =>
      logger?.warn(message, { tracker: 'GITHUB' });
    this.client = graphql.defaults({
      baseUrl: settings.apiUrl,
      headers: {
        authorization: `bearer ${settings.token ?? ''}`,
        'user-agent': settings.userAgent,
      },
      request: { log: { debug() {}, info() {}, warn, error: warn } },
    });
  }

  /** Sends one query; `variables` carry every value, the document none. */
  async request(
    document: string,
    variables: Record<string, string | number>,
  ): Promise<GraphqlResult> {
    const exchange: HttpExchange = {};
    const startedAt = performance.now();
    const result = await this.send(document, variables, exchange);
    if (result.ok) {
      this.rememberRateLimit(result.data.rateLimit);
    }
    this.observer?.onRequest?.({
      tracker: 'GITHUB',
      endpoint: 'graphql',
      durationMs: Math.round(performance.now() - startedAt),
      httpStatus: exchange.status,
      errorKind: result.ok ? undefined : result.error.kind,
    });

    return result;
  }

  private async send(
    document: string,
    variables: Record<string, string | number>,
    exchange: HttpExchange,
  ): Promise<GraphqlResult> {
    const fetch = this.transport.createFetch(exchange, (sent) =>
      this.inspect(sent),
    );
    let data: unknown;
    let entries: GraphqlErrorEntry[] = [];
    try {
      data = await this.client(document, { ...variables, request: { fetch } });
    } catch (error) {
      const failure = this.readFailure(error);
      if (failure !== undefined) {
        return { ok: false, ...failure };
      }
      // A GraphqlResponseError: keep its data and errors, drop the rest.
      data = (error as { data?: unknown }).data;
      entries = (error as { errors: GraphqlErrorEntry[] }).errors;
    }

    return this.toResult(data, entries, exchange);
  }

  // Rejects a body before octokit parses it, because octokit would turn
  // anything but a 2xx JSON object into empty data without an error.
  private inspect(exchange: HttpExchange): void {
    const status = exchange.status ?? 0;
    if (status < 200 || status >= 300 || isHtmlBody(exchange)) {
      throw classifyHttpResponse(
        exchange,
        this.errors,
        this.rateLimit.resetAt,
        'the GraphQL query',
      );
    }

    let body: unknown;
    try {
      body = JSON.parse(exchange.text ?? '');
    } catch {
      throw this.errors.create(
        'invalid_response',
        `GitHub at ${this.settings.apiUrl} sent malformed or truncated JSON (HTTP ${status}) for the GraphQL query`,
        { httpStatus: status },
      );
    }
    const errorsField = isObject(body) ? body.errors : undefined;
    if (
      !isObject(body) ||
      (errorsField !== undefined && !isErrorList(errorsField))
    ) {
      throw this.wrongShape(
        status,
        'a body without data or a valid errors list',
      );
    }
  }

  private readFailure(error: unknown): RequestFailure | undefined {
    if (readStringField(error, 'name') === 'GraphqlResponseError') {
      return undefined;
    }

    const cause =
      typeof error === 'object' && error !== null
        ? (error as { cause?: unknown }).cause
        : undefined;
    if (isTrackerError(cause)) {
      return toRequestFailure(cause);
    }
    if (isTrackerError(error)) {
      return toRequestFailure(error);
    }

    // Neither a response nor a transport failure: an unexpected throw
    // inside octokit. Only the name is kept, because the object contains the request.
    const name = readStringField(error, 'name') ?? typeof error;
    return toRequestFailure(
      this.errors.create(
        'invalid_response',
        `GitHub GraphQL request to ${this.settings.apiUrl} failed unexpectedly (${name}): this is a bug in the issue-sync GitHub adapter; report it with this message`,
      ),
    );
  }

  private toResult(
    data: unknown,
    entries: GraphqlErrorEntry[],
    exchange: HttpExchange,
  ): GraphqlResult {
    const httpStatus = exchange.status ?? 200;
    const rateLimitEntry = entries.find(isRateLimitEntry);
    if (rateLimitEntry !== undefined) {
      return {
        ok: false,
        error: classifyRateLimitEntry(
          rateLimitEntry,
          exchange,
          this.errors,
          this.rateLimit.resetAt,
        ),
        splittable: false,
      };
    }
    if (!isObject(data)) {
      if (entries.length > 0) {
        return {
          ok: false,
          ...classifyQueryErrors(
            entries,
            exchange,
            this.errors,
            this.rateLimit.resetAt,
          ),
        };
      }

      return {
        ok: false,
        error: this.wrongShape(httpStatus, 'no data object'),
        splittable: true,
      };
    }

    return {
      ok: true,
      data,
      errors: entries,
      httpStatus,
      headers: exchange.headers,
    };
  }

  private wrongShape(httpStatus: number, detail: string) {
    return this.errors.create(
      'invalid_response',
      `GitHub at ${this.settings.apiUrl} sent a GraphQL response of the wrong shape (${detail}, HTTP ${httpStatus})`,
      { httpStatus },
    );
  }

  private rememberRateLimit(value: unknown): void {
    if (!isObject(value)) {
      return;
    }
    if (typeof value.remaining === 'number') {
      this.rateLimit.remaining = value.remaining;
    }
    if (typeof value.resetAt === 'string') {
      this.rateLimit.resetAt = value.resetAt;
    }
  }
}

function isErrorList(value: unknown): value is GraphqlErrorEntry[] {
  return (
    Array.isArray(value) &&
    value.every((entry) => isObject(entry) && typeof entry.message === 'string')
  );
}
