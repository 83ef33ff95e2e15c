import {
  TrackerError,
  createBatchLoader,
  createHttpClient,
  describeTracker,
  parseJsonBody,
  sendTrackerRequest,
} from '@issue-sync/tracker-core';
import type {
  AdapterOptions,
  CredentialReport,
  IssueRef,
  IssueSnapshot,
  TrackerAdapter,
  TrackerRequestContext,
} from '@issue-sync/tracker-core';
// p-limit 3 is the last CommonJS major; later ones are ESM-only.
import pLimit from 'p-limit';

import { isRecord } from './jira-issue';
import { toIssueKey } from './jira-key';
import { classifyJiraStatus, readIssueBatch } from './jira-reader';
import type { JiraReaderDeps } from './jira-reader';

/** Options of {@link createJiraAdapter}. */
export interface JiraAdapterOptions extends AdapterOptions {
  /** JIRA_BASE_URL: the site, such as https://example.atlassian.net. */
  baseUrl: string;
  /** JIRA_USERNAME: the account's e-mail address. */
  username: string | undefined;
  /** JIRA_TOKEN: an API token of that account, not its password. */
  token: string | undefined;
  /**
   * Most single-issue reads in flight at once, across batches.
   * @defaultValue 10
   */
  maxConcurrentRequests?: number;
}

const CREDENTIAL_HINT =
  'check JIRA_USERNAME and JIRA_TOKEN: the token may be expired, revoked ' +
  "or wrong, and JIRA_USERNAME must be the account's e-mail address. Jira " +
  'Cloud rejects account passwords, so JIRA_TOKEN must be an API token ' +
  '(https://id.atlassian.com/manage-profile/security/api-tokens)';

const DEFAULT_MAX_CONCURRENT_REQUESTS = 10;
const MAX_BATCH_SIZE = 100;

/**
 * Creates the Jira Cloud adapter. Concurrent `fetchIssue` calls within
 * `batchWindowMs` go out as one `POST /rest/api/3/search/jql`. Keys the
 * search does not return are read one by one, which distinguishes moved
 * issues from missing ones. Basic auth uses JIRA_USERNAME and an API token; without
 * either, every call fails with kind not_configured.
 *
 * @param options - adapter options plus the Jira site and credentials
 * @returns the adapter; call `close` to release its sockets
 * @throws Error when an option is invalid
 */
export function createJiraAdapter(options: JiraAdapterOptions): TrackerAdapter {
  validateOptions(options);

  const missingVariable = findMissingCredential(options);
  const client = createHttpClient({
    baseURL: options.baseUrl,
    tracker: 'JIRA',
    timeoutMs: options.timeoutMs,
    maxResponseBytes: options.maxResponseBytes,
    userAgent: options.userAgent,
    auth:
      missingVariable === undefined
        ? { username: options.username ?? '', password: options.token ?? '' }
        : undefined,
  });
  const context: TrackerRequestContext = {
    tracker: 'JIRA',
    baseUrl: options.baseUrl,
    credentialHint: CREDENTIAL_HINT,
    observer: options.observer,
    logger: options.logger,
  };
  const deps: JiraReaderDeps = {
    client,
    context,
    limit: pLimit(
      options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS,
    ),
  };
  const loader = createBatchLoader<string, IssueSnapshot>(
    (issueKeys) => {
      reportBatch(options, issueKeys.length);
      return readIssueBatch(issueKeys, deps);
    },
    { windowMs: options.batchWindowMs, maxBatchSize: options.batchSize },
  );
  const notConfigured = (variable: string): TrackerError =>
    new TrackerError(
      'not_configured',
      'JIRA',
      `${variable} is not set: set JIRA_USERNAME to the account's e-mail ` +
        `address and JIRA_TOKEN to an API token to read Jira issues`,
    );

  return {
    source: 'JIRA',

    async fetchIssue(ref: IssueRef): Promise<IssueSnapshot> {
      const issueKey = toIssueKey(ref);
      if (missingVariable !== undefined) {
        throw notConfigured(missingVariable);
      }

      return loader.load(issueKey);
    },

    async checkCredentials(): Promise<CredentialReport> {
      if (missingVariable !== undefined) {
        return {
          ok: false,
          summary: notConfigured(missingVariable).message,
          warnings: [],
        };
      }

      return checkAccount(deps);
    },

    async close(): Promise<void> {
      client.close();
    },
  };
}

/**
 * Reads `GET /rest/api/3/myself`. A rejected token gives a report with
 * `ok: false`. Failures unrelated to the credentials (network, outage, rate
 * limit) throw their TrackerError.
 */
async function checkAccount(deps: JiraReaderDeps): Promise<CredentialReport> {
  const { client, context } = deps;
  const response = await sendTrackerRequest(
    client,
    { method: 'GET', url: '/rest/api/3/myself' },
    'myself',
    context,
  );

  if (response.status < 200 || response.status >= 300) {
    const error = classifyJiraStatus(response, context);
    if (error.kind === 'unauthorized' || error.kind === 'forbidden') {
      return { ok: false, summary: error.message, warnings: [] };
    }
    throw error;
  }

  const body = parseJsonBody(response, context, 'the current user');
  if (!isRecord(body) || typeof body.accountId !== 'string') {
    throw new TrackerError(
      'invalid_response',
      'JIRA',
      `${describeTracker(context)} sent a current user without an accountId: ` +
        `check that JIRA_BASE_URL points at a Jira Cloud site`,
    );
  }

  const name =
    typeof body.displayName === 'string' ? body.displayName : 'an unnamed user';
  const identity =
    typeof body.emailAddress === 'string' && body.emailAddress !== ''
      ? body.emailAddress
      : `account ${body.accountId}`;
  const warnings =
    body.active === false
      ? [
          'the Jira account is deactivated, so reads will fail once its session ends',
        ]
      : [];

  return {
    ok: true,
    summary: `${describeTracker(context)} accepts JIRA_TOKEN for ${name} (${identity})`,
    warnings,
  };
}

function findMissingCredential(
  options: JiraAdapterOptions,
): 'JIRA_USERNAME' | 'JIRA_TOKEN' | undefined {
  if (options.username === undefined || options.username.trim() === '') {
    return 'JIRA_USERNAME';
  }
  if (options.token === undefined || options.token.trim() === '') {
    return 'JIRA_TOKEN';
  }

  return undefined;
}

function reportBatch(options: JiraAdapterOptions, size: number): void {
  // A throwing observer must not fail the batch, so its error is
  // intentionally dropped.
  try {
    options.observer?.onBatch?.({ tracker: 'JIRA', size });
  } catch {
    // See above.
  }
}

function validateOptions(options: JiraAdapterOptions): void {
  const { batchSize, batchWindowMs, maxConcurrentRequests } = options;

  if (
    !Number.isInteger(batchSize) ||
    batchSize < 1 ||
    batchSize > MAX_BATCH_SIZE
  ) {
    throw new Error(
      `Jira adapter option batchSize is ${batchSize}: expected a whole ` +
        `number from 1 to ${MAX_BATCH_SIZE}`,
    );
  }

  if (!Number.isFinite(batchWindowMs) || batchWindowMs < 0) {
    throw new Error(
      `Jira adapter option batchWindowMs is ${batchWindowMs}: expected ` +
        `milliseconds, 0 or more`,
    );
  }

  if (
    maxConcurrentRequests !== undefined &&
    (!Number.isInteger(maxConcurrentRequests) || maxConcurrentRequests < 1)
  ) {
    throw new Error(
      `Jira adapter option maxConcurrentRequests is ${maxConcurrentRequests}: ` +
        `expected a whole number, 1 or more`,
    );
  }
}
