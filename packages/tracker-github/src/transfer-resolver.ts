import type {
  AdapterObserver,
  IssueSnapshot,
  TrackerError,
} from '@issue-sync/tracker-core';
import { isTrackerError } from '@issue-sync/tracker-core';

import type { GithubErrorFactory } from './github-errors';
import type { GithubSettings } from './github-settings';
import type { HttpExchange, HttpTransport } from './http-transport';
import { toIssueTarget, type IssueTarget } from './issue-target';
import { isObject } from './json-value';
import { classifyHttpResponse } from './response-classifier';

/** The REST result for an issue that GraphQL did not find. */
export type TransferLookup =
  | { type: 'moved'; to: IssueTarget }
  /** REST serves the issue at its own address after all. */
  | { type: 'present'; snapshot: IssueSnapshot }
  | { type: 'failed'; error: TrackerError };

const REDIRECT_STATUSES = new Set([301, 302, 307, 308]);
const MAX_REDIRECTS = 3;

/**
 * Tells a transferred issue from a deleted or hidden one. GraphQL answers
 * NOT_FOUND at a transferred issue's old address, while REST answers 301
 * with the issue's new location, which this class follows by hand and only
 * on the apiUrl host.
 */
export class TransferResolver {
  constructor(
    private readonly settings: GithubSettings,
    private readonly transport: HttpTransport,
    private readonly errors: GithubErrorFactory,
    private readonly observer: AdapterObserver | undefined,
    private readonly lastResetAt: () => string | undefined,
  ) {}

  async lookup(target: IssueTarget): Promise<TransferLookup> {
    const base = this.settings.restBaseUrl;
    let url = `${base}/repos/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.name)}/issues/${target.number}`;

    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const exchange = await this.get(url);
      if (isTrackerError(exchange)) {
        return { type: 'failed', error: exchange };
      }

      const status = exchange.status ?? 0;
      if (REDIRECT_STATUSES.has(status)) {
        const next = this.resolveLocation(exchange, url, target);
        if (isTrackerError(next)) {
          return { type: 'failed', error: next };
        }
        url = next;
        continue;
      }
      if (status === 200) {
        return this.readIssue(exchange, target);
      }
      if (status === 404 || status === 410) {
        return { type: 'failed', error: this.notFound(target, status) };
      }

      return {
        type: 'failed',
        error: classifyHttpResponse(
          exchange,
          this.errors,
          this.lastResetAt(),
          `the REST request for ${target.issueKey}`,
        ),
      };
    }

    return {
      type: 'failed',
      error: this.errors.create(
        'invalid_response',
        `GitHub at ${this.settings.apiUrl} redirected ${target.issueKey} more than ${MAX_REDIRECTS} times`,
      ),
    };
  }

  private async get(url: string): Promise<HttpExchange | TrackerError> {
    const exchange: HttpExchange = {};
    const startedAt = performance.now();
    let failure: TrackerError | undefined;
    try {
      await this.transport.send(
        url,
        {
          method: 'GET',
          headers: {
            accept: 'application/vnd.github+json',
            authorization: `Bearer ${this.settings.token ?? ''}`,
            'user-agent': this.settings.userAgent,
            'x-github-api-version': '2022-11-28',
          },
        },
        exchange,
      );
    } catch (error) {
      failure = isTrackerError(error)
        ? error
        : this.errors.create(
            'network',
            `GitHub REST request to ${this.settings.apiUrl} failed unexpectedly`,
          );
    }
    this.observer?.onRequest?.({
      tracker: 'GITHUB',
      endpoint: 'rest',
      durationMs: Math.round(performance.now() - startedAt),
      httpStatus: exchange.status,
      errorKind: failure?.kind,
    });

    return failure ?? exchange;
  }

  private resolveLocation(
    exchange: HttpExchange,
    url: string,
    target: IssueTarget,
  ): string | TrackerError {
    const location = exchange.headers?.get('location');
    if (location === null || location === undefined || location === '') {
      return this.errors.create(
        'invalid_response',
        `GitHub at ${this.settings.apiUrl} redirected ${target.issueKey} (HTTP ${exchange.status}) without a Location header`,
        { httpStatus: exchange.status },
      );
    }

    const next = new URL(location, url);
    if (next.origin !== this.settings.origin) {
      return this.errors.create(
        'not_found',
        `GitHub moved ${target.issueKey} to ${next.origin}, another host than GITHUB_API_URL (${this.settings.origin}); issue-sync does not send the token there, so update the issue URL by hand`,
        { httpStatus: exchange.status },
      );
    }

    return next.href;
  }

  private readIssue(
    exchange: HttpExchange,
    target: IssueTarget,
  ): TransferLookup {
    let body: unknown;
    try {
      body = JSON.parse(exchange.text ?? '');
    } catch {
      body = undefined;
    }

    const current = isObject(body) ? this.readCurrentTarget(body) : undefined;
    if (!isObject(body) || current === undefined) {
      return {
        type: 'failed',
        error: this.errors.create(
          'invalid_response',
          `GitHub at ${this.settings.apiUrl} sent a REST issue for ${target.issueKey} without a number and repository_url`,
          { httpStatus: exchange.status },
        ),
      };
    }
    if (
      current.project !== target.project ||
      current.number !== target.number
    ) {
      return { type: 'moved', to: current };
    }

    const snapshot = readRestSnapshot(body);
    if (snapshot === undefined) {
      return {
        type: 'failed',
        error: this.errors.create(
          'invalid_response',
          `GitHub at ${this.settings.apiUrl} sent a REST issue for ${target.issueKey} without a title or state`,
          { httpStatus: exchange.status },
        ),
      };
    }

    return { type: 'present', snapshot };
  }

  private readCurrentTarget(
    body: Record<string, unknown>,
  ): IssueTarget | undefined {
    const repositoryUrl = body.repository_url;
    if (typeof repositoryUrl !== 'string' || !Number.isInteger(body.number)) {
      return undefined;
    }

    let pathname: string;
    try {
      pathname = new URL(repositoryUrl).pathname;
    } catch {
      return undefined;
    }
    const match = /\/repos\/([^/]+)\/([^/]+)\/?$/.exec(pathname);
    if (match === null) {
      return undefined;
    }

    const target = toIssueTarget(
      {
        source: 'GITHUB',
        project: `${decodeURIComponent(match[1] as string)}/${decodeURIComponent(match[2] as string)}`,
        key: String(body.number),
      },
      this.errors,
    );

    return isTrackerError(target) ? undefined : target;
  }

  private notFound(target: IssueTarget, httpStatus: number): TrackerError {
    const reason =
      httpStatus === 410
        ? 'GitHub reports that it was deleted'
        : 'it was deleted, transferred to a repository the token cannot see, or the repository is private or was renamed';

    return this.errors.create(
      'not_found',
      `GitHub issue ${target.issueKey} not found at ${this.settings.apiUrl}: ${reason}; check the issue URL and that GITHUB_TOKEN can read the repository`,
      { httpStatus },
    );
  }
}

// Maps a REST issue body, for the rare issue that REST serves but GraphQL
// does not find. REST lists every label, so no paging is needed.
function readRestSnapshot(
  body: Record<string, unknown>,
): IssueSnapshot | undefined {
  const { title, state } = body;
  if (typeof title !== 'string' || (state !== 'open' && state !== 'closed')) {
    return undefined;
  }

  const labels = Array.isArray(body.labels)
    ? body.labels
        .map((label) => (isObject(label) ? label.name : label))
        .filter((name): name is string => typeof name === 'string')
    : [];
  const pullRequest = body.pull_request;
  let trackerStatus = state.toUpperCase();
  if (isObject(pullRequest)) {
    trackerStatus = pullRequest.merged_at ? 'MERGED' : trackerStatus;
  } else if (
    typeof body.state_reason === 'string' &&
    body.state_reason !== ''
  ) {
    trackerStatus = body.state_reason.toUpperCase();
  }

  return {
    title,
    status: state === 'open' ? 'OPEN' : 'CLOSED',
    trackerStatus,
    labels,
  };
}
