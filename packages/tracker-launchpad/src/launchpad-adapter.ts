import {
  classifyHttpStatus,
  createHttpClient,
  describeTracker,
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

import { chooseTask } from './bug-tasks';
import { toBugNumber } from './launchpad-ref';
import { readBug, readBugTasks } from './launchpad-reader';
import type { LaunchpadReaderDeps } from './launchpad-reader';

/** Options of {@link createLaunchpadAdapter}. */
export interface LaunchpadAdapterOptions extends AdapterOptions {
  /** LAUNCHPAD_API_URL: the web service root, such as https://api.launchpad.net/devel. */
  apiUrl: string;
  /**
   * Maximum requests in flight at once. Launchpad has no batch read, so each
   * issue costs at least two requests.
   * @defaultValue 8
   */
  maxConcurrentRequests?: number;
}

const DEFAULT_MAX_CONCURRENT_REQUESTS = 8;

/**
 * Creates the Launchpad adapter. It reads anonymously: each issue is a bug
 * entry plus its bug task collection, and the status comes from the task
 * targeted at the issue's project.
 *
 * @param options - adapter options plus the web service root
 * @returns the adapter; call `close` to release its sockets
 * @throws Error when an option is invalid
 */
export function createLaunchpadAdapter(
  options: LaunchpadAdapterOptions,
): TrackerAdapter {
  const maxConcurrentRequests =
    options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS;
  if (!Number.isInteger(maxConcurrentRequests) || maxConcurrentRequests < 1) {
    throw new Error(
      `Launchpad adapter option maxConcurrentRequests is ` +
        `${maxConcurrentRequests}: expected a whole number, 1 or more`,
    );
  }

  const apiUrl = options.apiUrl.replace(/\/+$/, '');
  const client = createHttpClient({
    baseURL: apiUrl,
    tracker: 'LAUNCHPAD',
    timeoutMs: options.timeoutMs,
    maxResponseBytes: options.maxResponseBytes,
    userAgent: options.userAgent,
  });
  const context: TrackerRequestContext = {
    tracker: 'LAUNCHPAD',
    baseUrl: apiUrl,
    // Requests carry no credentials, so a 401 means the URL is not the
    // anonymous web service.
    credentialHint:
      'Launchpad is read anonymously, so check that LAUNCHPAD_API_URL points ' +
      'at its public web service',
    observer: options.observer,
    logger: options.logger,
  };
  const deps: LaunchpadReaderDeps = {
    client,
    context,
    apiUrl,
    limit: pLimit(maxConcurrentRequests),
  };

  return {
    source: 'LAUNCHPAD',

    async fetchIssue(ref: IssueRef): Promise<IssueSnapshot> {
      const bugNumber = toBugNumber(ref);
      // Both reads run at once, but when both fail the bug's error wins,
      // so the reported reason does not depend on which answer came first.
      const [bugResult, tasksResult] = await Promise.allSettled([
        readBug(bugNumber, deps),
        readBugTasks(bugNumber, deps),
      ]);
      if (bugResult.status === 'rejected') {
        throw bugResult.reason;
      }
      if (tasksResult.status === 'rejected') {
        throw tasksResult.reason;
      }
      const bug = bugResult.value;
      const tasks = tasksResult.value;
      const task = chooseTask(tasks, ref.project);

      if (task === undefined) {
        return {
          title: bug.title,
          status: 'UNKNOWN',
          trackerStatus: null,
          labels: bug.tags,
        };
      }

      return {
        title: bug.title,
        status: task.isComplete ? 'CLOSED' : 'OPEN',
        trackerStatus: task.status,
        labels: bug.tags,
      };
    },

    async checkCredentials(): Promise<CredentialReport> {
      return checkService(deps);
    },

    async close(): Promise<void> {
      client.close();
    },
  };
}

/**
 * Sends one anonymous request for bug 1. Any 200 or 404 proves the web
 * service responds. Other failures throw their TrackerError.
 */
async function checkService(
  deps: LaunchpadReaderDeps,
): Promise<CredentialReport> {
  const { client, context } = deps;
  const response = await sendTrackerRequest(
    client,
    { method: 'GET', url: '/bugs/1' },
    'bugs',
    context,
  );

  if (response.status !== 200 && response.status !== 404) {
    throw classifyHttpStatus(response, context);
  }

  const warnings =
    response.status === 404
      ? [
          'bug 1 was not found, so LAUNCHPAD_API_URL may not point at the ' +
            'Launchpad web service',
        ]
      : [];

  return {
    ok: true,
    summary:
      `${describeTracker(context)} is read anonymously; no credentials ` +
      `are used`,
    warnings,
  };
}
