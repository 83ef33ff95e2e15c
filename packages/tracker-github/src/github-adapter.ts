import {
  createBatchLoader,
  isTrackerError,
  type CredentialReport,
  type IssueRef,
  type IssueSnapshot,
  type TrackerAdapter,
} from '@issue-sync/tracker-core';

import { GithubErrorFactory } from './github-errors';
import {
  resolveGithubSettings,
  type GithubAdapterOptions,
} from './github-settings';
import { GraphqlRequester } from './graphql-requester';
import { HttpTransport } from './http-transport';
import { IssueFetcher } from './issue-fetcher';
import { VIEWER_QUERY } from './issue-query';
import { toIssueTarget, type IssueTarget } from './issue-target';
import { isObject } from './json-value';
import { toCredentialReport } from './token-scopes';
import { TransferResolver } from './transfer-resolver';

/**
 * Creates the GitHub adapter. It reads issues and pull requests through
 * GraphQL at `${apiUrl}/graphql`, gathering concurrent `fetchIssue` calls
 * into one query of up to `batchSize` issues, and queries REST for issues
 * that GraphQL does not find, to tell a transferred issue from a deleted one.
 *
 * @param options - the common adapter options plus the token and API URL.
 * @returns an adapter with source GITHUB. Throws an Error at once when an
 * option is invalid; a missing token fails each call with not_configured.
 */
export function createGithubAdapter(
  options: GithubAdapterOptions,
): TrackerAdapter {
  const settings = resolveGithubSettings(options);
  const errors = new GithubErrorFactory(settings.apiUrl, settings.token);
  const transport = new HttpTransport(settings, errors);
  const requester = new GraphqlRequester(
    settings,
    transport,
    errors,
    options.observer,
    options.logger,
  );
  const fetcher = new IssueFetcher(
    requester,
    new TransferResolver(
      settings,
      transport,
      errors,
      options.observer,
      () => requester.rateLimit.resetAt,
    ),
    errors,
    options.observer,
    options.logger,
  );
  const loader = createBatchLoader<IssueTarget, IssueSnapshot>(
    (targets) => fetcher.loadBatch(targets),
    { windowMs: settings.batchWindowMs, maxBatchSize: settings.batchSize },
  );
  let closed = false;

  const assertOpen = (): void => {
    if (closed) {
      throw new Error(
        'GitHub adapter is closed: create a new one with createGithubAdapter',
      );
    }
  };

  return {
    source: 'GITHUB',

    async fetchIssue(ref: IssueRef): Promise<IssueSnapshot> {
      assertOpen();
      const target = toIssueTarget(ref, errors);
      if (isTrackerError(target)) {
        throw target;
      }
      if (settings.token === undefined) {
        throw errors.notConfigured();
      }

      return loader.load(target);
    },

    async checkCredentials(): Promise<CredentialReport> {
      assertOpen();
      if (settings.token === undefined) {
        return {
          ok: false,
          summary: errors.notConfigured().message,
          warnings: [],
        };
      }

      const result = await requester.request(VIEWER_QUERY, {});
      if (!result.ok) {
        const { error } = result;
        if (error.kind === 'unauthorized' || error.kind === 'forbidden') {
          return { ok: false, summary: error.message, warnings: [] };
        }
        throw error;
      }

      const viewer = result.data.viewer;
      if (!isObject(viewer) || typeof viewer.login !== 'string') {
        throw errors.create(
          'invalid_response',
          `GitHub at ${settings.apiUrl} answered the credential check without viewer.login`,
          { httpStatus: result.httpStatus },
        );
      }
      const scopes = result.headers?.has('x-oauth-scopes')
        ? (result.headers.get('x-oauth-scopes') ?? '')
        : null;

      return toCredentialReport(viewer.login, scopes);
    },

    async close(): Promise<void> {
      if (closed) {
        return;
      }
      closed = true;
      await transport.close();
    },
  };
}
