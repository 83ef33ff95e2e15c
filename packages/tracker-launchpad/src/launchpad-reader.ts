import {
  TrackerError,
  classifyHttpStatus,
  describeTracker,
  parseJsonBody,
  readHeader,
  sendTrackerRequest,
} from '@issue-sync/tracker-core';
import type {
  HttpClient,
  TrackerRequestContext,
} from '@issue-sync/tracker-core';
import type pLimit from 'p-limit';

import type { BugTask } from './bug-tasks';

// A bug task collection has one entry per affected project or package, so a
// real bug fits one page. The bound only stops a server that pages forever.
const MAX_TASK_PAGES = 20;
const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

// Statuses that Launchpad counts as resolved (RESOLVED_BUGTASK_STATUSES in
// lib/lp/bugs/interfaces/bugtask.py). Used only when a task lacks is_complete.
const COMPLETE_STATUSES = new Set([
  'Fix Released',
  'Opinion',
  'Invalid',
  "Won't Fix",
  'Expired',
  'Does Not Exist',
]);

/** Client, message context and request limit shared by the Launchpad reads. */
export interface LaunchpadReaderDeps {
  client: HttpClient;
  context: TrackerRequestContext;
  /** The API root, such as https://api.launchpad.net/devel. */
  apiUrl: string;
  /** Bounds requests in flight, because Launchpad has no batch read. */
  limit: pLimit.Limit;
}

/** The parts of a Launchpad bug entry that a snapshot needs. */
export interface BugEntry {
  title: string;
  tags: string[];
}

/** Reads `GET {apiUrl}/bugs/{number}`. */
export async function readBug(
  bugNumber: string,
  deps: LaunchpadReaderDeps,
): Promise<BugEntry> {
  const body = await getJson(`/bugs/${bugNumber}`, 'bugs', bugNumber, deps);

  if (!isRecord(body) || typeof body.title !== 'string') {
    throw invalidShape(deps, `bug ${bugNumber} without a title string`);
  }

  const tags = body.tags ?? [];
  if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string')) {
    throw invalidShape(deps, `bug ${bugNumber} with tags that are not strings`);
  }

  return { title: body.title, tags: tags as string[] };
}

/** Reads every page of `GET {apiUrl}/bugs/{number}/bug_tasks`. */
export async function readBugTasks(
  bugNumber: string,
  deps: LaunchpadReaderDeps,
): Promise<BugTask[]> {
  const tasks: BugTask[] = [];
  let url = `/bugs/${bugNumber}/bug_tasks`;

  for (let page = 0; page < MAX_TASK_PAGES; page += 1) {
    const body = await getJson(url, 'bug_tasks', bugNumber, deps);
    if (!isRecord(body) || !Array.isArray(body.entries)) {
      throw invalidShape(
        deps,
        `bug ${bugNumber} tasks without an entries list`,
      );
    }

    for (const entry of body.entries) {
      tasks.push(toBugTask(entry, bugNumber, deps));
    }

    const next = body.next_collection_link;
    if (typeof next !== 'string' || next === '') {
      return tasks;
    }
    url = toSameOriginUrl(next, deps, bugNumber);
  }

  throw invalidShape(
    deps,
    `more than ${MAX_TASK_PAGES} pages of tasks for bug ${bugNumber}`,
  );
}

/**
 * Sends a GET through the request limit and parses its JSON body. Redirects,
 * which Launchpad sends for a retargeted task, are followed only within the
 * API's origin.
 */
async function getJson(
  path: string,
  endpoint: string,
  bugNumber: string,
  deps: LaunchpadReaderDeps,
): Promise<unknown> {
  const { client, context } = deps;
  let url = path;

  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    const response = await deps.limit(() =>
      sendTrackerRequest(client, { method: 'GET', url }, endpoint, context),
    );

    if (REDIRECT_STATUSES.has(response.status)) {
      const location = readHeader(response.headers, 'location') ?? '';
      url = toSameOriginUrl(location, deps, bugNumber);
      context.logger?.debug('Launchpad redirected a request, following it', {
        tracker: context.tracker,
        endpoint,
        httpStatus: response.status,
      });
      continue;
    }

    if (response.status === 404) {
      throw new TrackerError(
        'not_found',
        context.tracker,
        `Launchpad bug ${bugNumber} is missing or private (404 from ` +
          `${describeTracker(context)}): anonymous readers cannot tell the ` +
          `two apart, so check the bug number in a browser while logged in`,
        { httpStatus: 404 },
      );
    }

    if (response.status < 200 || response.status >= 300) {
      throw classifyHttpStatus(response, context);
    }

    const what =
      endpoint === 'bugs'
        ? `the entry of bug ${bugNumber}`
        : `the tasks of bug ${bugNumber}`;

    return parseJsonBody(response, context, what);
  }

  throw invalidShape(
    deps,
    `more than ${MAX_REDIRECTS} redirects for bug ${bugNumber}`,
  );
}

/**
 * Resolves a link from Launchpad and checks that it stays on the API's
 * origin, so neither a redirect nor a collection link can point the adapter
 * at another host.
 */
function toSameOriginUrl(
  link: string,
  deps: LaunchpadReaderDeps,
  bugNumber: string,
): string {
  const apiOrigin = new URL(deps.apiUrl).origin;
  let resolved: URL;
  try {
    resolved = new URL(link, `${deps.apiUrl}/`);
  } catch {
    throw invalidShape(deps, `an invalid link for bug ${bugNumber}`);
  }

  // A link with credentials would make axios send them as basic auth, and the
  // link itself could reach a message, so it is rejected whole.
  if (resolved.username !== '' || resolved.password !== '') {
    throw invalidShape(deps, `a link with credentials for bug ${bugNumber}`);
  }

  if (resolved.origin !== apiOrigin) {
    throw new TrackerError(
      'invalid_response',
      deps.context.tracker,
      `${describeTracker(deps.context)} sent a link for bug ${bugNumber} to ` +
        `another host (${resolved.host}), which is not followed: check ` +
        `LAUNCHPAD_API_URL`,
    );
  }

  return resolved.href;
}

function toBugTask(
  entry: unknown,
  bugNumber: string,
  deps: LaunchpadReaderDeps,
): BugTask {
  if (
    !isRecord(entry) ||
    typeof entry.bug_target_name !== 'string' ||
    typeof entry.status !== 'string'
  ) {
    throw invalidShape(
      deps,
      `a task of bug ${bugNumber} without bug_target_name and status strings`,
    );
  }

  const isComplete =
    typeof entry.is_complete === 'boolean'
      ? entry.is_complete
      : COMPLETE_STATUSES.has(entry.status);

  return {
    targetName: entry.bug_target_name,
    status: entry.status,
    isComplete,
  };
}

function invalidShape(deps: LaunchpadReaderDeps, what: string): TrackerError {
  return new TrackerError(
    'invalid_response',
    deps.context.tracker,
    `${describeTracker(deps.context)} sent ${what}: the response does not ` +
      `have the shape of the Launchpad web service`,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
