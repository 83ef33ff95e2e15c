import { createHash } from 'node:crypto';

import { textReply, type Reply } from '../http-reply';
import type { LaunchpadRecord, LaunchpadTaskRecord } from '../issue-store';

/** Statuses for which Launchpad sets `is_complete` on a bug task. */
export const COMPLETE_TASK_STATUSES = new Set([
  'Fix Released',
  'Opinion',
  'Invalid',
  "Won't Fix",
  'Expired',
  'Does Not Exist',
]);

const CREATED_AT = '2024-01-01T00:00:00.000000+00:00';
const CHANGED_AT = '2024-01-02T00:00:00.000000+00:00';
const ADDRESS = '0x7f0000000000';

/** The target of a task: a project, a distribution or a source package. */
export interface TaskTarget {
  /** `sahara`, or `linux-meta (Ubuntu)` for a source package. */
  bugTargetName: string;
  displayName: string;
  /** Path below the API root, such as `ubuntu/+source/linux-meta`. */
  path: string;
  isPackage: boolean;
}

function capitalize(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * Reads a task target written as `project`, `package (Distribution)` or
 * `distribution/+source/package`.
 */
export function parseTaskTarget(target: string): TaskTarget {
  const named = /^(\S+) \((.+)\)$/.exec(target);
  const pathForm = /^([^/\s]+)\/\+source\/([^/\s]+)$/.exec(target);
  if (named !== null || pathForm !== null) {
    const packageName = named?.[1] ?? pathForm![2]!;
    const distribution = (named?.[2] ?? pathForm![1]!).toLowerCase();
    const bugTargetName = `${packageName} (${capitalize(distribution)})`;

    return {
      bugTargetName,
      displayName: bugTargetName,
      path: `${distribution}/+source/${packageName}`,
      isPackage: true,
    };
  }
  const name = target.toLowerCase();

  return {
    bugTargetName: name,
    displayName: capitalize(name),
    path: name,
    isPackage: false,
  };
}

function etagOf(...parts: unknown[]): string {
  const text = JSON.stringify(parts);
  const first = createHash('sha1').update(text).digest('hex');
  const second = createHash('sha1')
    .update(`${text}:representation`)
    .digest('hex');

  return `${first}-${second}`;
}

function dateWhen(condition: boolean): string | null {
  return condition ? CHANGED_AT : null;
}

/** Builds a bug entry in the devel shape, with links to `apiBase`. */
export function toBugEntry(
  record: LaunchpadRecord,
  apiBase: string,
): Record<string, unknown> {
  const self = `${apiBase}/bugs/${record.bugId}`;

  return {
    users_unaffected_collection_link: `${self}/users_unaffected`,
    latest_patch_uploaded: null,
    users_affected_count_with_dupes: 1,
    security_related: false,
    private: false,
    bug_watches_collection_link: `${self}/bug_watches`,
    date_made_private: null,
    linked_branches_collection_link: `${self}/linked_branches`,
    subscriptions_collection_link: `${self}/subscriptions`,
    number_of_duplicates: 0,
    id: record.bugId,
    users_unaffected_count: 0,
    title: record.title,
    other_users_affected_count_with_dupes: 0,
    name: null,
    http_etag: etagOf(record),
    messages_collection_link: `${self}/messages`,
    self_link: self,
    information_type: 'Public',
    who_made_private_link: null,
    attachments_collection_link: `${self}/attachments`,
    resource_type_link: `${apiBase}/#bug`,
    activity_collection_link: `${self}/activity`,
    date_last_updated: CHANGED_AT,
    description: '',
    duplicates_collection_link: `${self}/duplicates`,
    tags: record.labels,
    message_count: 1,
    heat: 0,
    bug_tasks_collection_link: `${self}/bug_tasks`,
    duplicate_of_link: null,
    users_affected_with_dupes_collection_link: `${self}/users_affected_with_dupes`,
    cves_collection_link: `${self}/cves`,
    web_link: `https://bugs.launchpad.net/bugs/${record.bugId}`,
    users_affected_count: 1,
    owner_link: `${apiBase}/~tracker-sim`,
    date_created: CREATED_AT,
    date_last_message: CREATED_AT,
    users_affected_collection_link: `${self}/users_affected`,
    linked_merge_proposals_collection_link: `${self}/linked_merge_proposals`,
    lock_status: 'Unlocked',
    lock_reason: null,
    vulnerabilities_collection_link: `${self}/vulnerabilities`,
  };
}

/**
 * Builds a bug task entry. Date fields follow the status: a Fix Released
 * task has been confirmed, triaged, in progress, committed and closed.
 */
export function toTaskEntry(
  record: LaunchpadRecord,
  task: LaunchpadTaskRecord,
  apiBase: string,
): Record<string, unknown> {
  const target = parseTaskTarget(task.target);
  const self = `${apiBase}/${target.path}/+bug/${record.bugId}`;
  const status = task.status;
  const isComplete = COMPLETE_TASK_STATUSES.has(status);
  const progressed = (statuses: string[]): boolean => statuses.includes(status);

  return {
    date_closed: dateWhen(isComplete),
    date_assigned: null,
    title: `Bug #${record.bugId} in ${target.displayName}: "${record.title}"`,
    bug_link: `${apiBase}/bugs/${record.bugId}`,
    bug_watch_link: null,
    milestone_link: null,
    date_left_closed: null,
    date_fix_committed: dateWhen(progressed(['Fix Committed', 'Fix Released'])),
    date_fix_released: dateWhen(status === 'Fix Released'),
    date_in_progress: dateWhen(
      progressed(['In Progress', 'Fix Committed', 'Fix Released']),
    ),
    resource_type_link: `${apiBase}/#bug_task`,
    status,
    bug_target_name: target.bugTargetName,
    importance: task.importance,
    assignee_link: null,
    date_triaged: dateWhen(
      progressed(['Triaged', 'In Progress', 'Fix Committed', 'Fix Released']),
    ),
    self_link: self,
    target_link: `${apiBase}/${target.path}`,
    bug_target_display_name: target.displayName,
    related_tasks_collection_link: `${self}/related_tasks`,
    date_confirmed: dateWhen(
      progressed([
        'Confirmed',
        'Triaged',
        'In Progress',
        'Fix Committed',
        'Fix Released',
      ]),
    ),
    date_left_new: dateWhen(status !== 'New'),
    web_link: `https://bugs.launchpad.net/${target.path}/+bug/${record.bugId}`,
    owner_link: `${apiBase}/~tracker-sim`,
    date_created: CREATED_AT,
    date_incomplete: dateWhen(status === 'Incomplete'),
    is_complete: isComplete,
    date_deferred: dateWhen(status === 'Deferred'),
    importance_explanation: null,
    status_explanation: null,
    http_etag: etagOf(record.bugId, task, record.title),
  };
}

/**
 * Launchpad's plain-text 404, which names the object whose traversal failed;
 * a private bug read anonymously gets the same response as a missing one.
 */
export function launchpadNotFound(objectName: string, name: string): Reply {
  return textReply(
    404,
    `Object: <${objectName} at ${ADDRESS}>, name: '${name}'`,
  );
}

export const MALONE_APPLICATION = 'lp.systemhomes.MaloneApplication object';
export const WEB_SERVICE_APPLICATION =
  'lp.systemhomes.WebServiceApplication object';

/**
 * Builds the HTML page served for outages and forced errors.
 * NOTE: modelled on an HTML error page; no recording of Launchpad's own
 * outage page was available.
 */
export function launchpadHtmlPage(
  status: number,
  headers: Record<string, string> = {},
): Reply {
  const page =
    '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Launchpad is temporarily unavailable</title></head>\n' +
    '<body><h1>Launchpad is temporarily unavailable</h1>\n' +
    `<p>The server could not complete your request (HTTP ${status}). Please try again in a few minutes.</p>\n</body>\n</html>\n`;

  return textReply(status, page, headers, 'text/html; charset=utf-8');
}

/** Builds Launchpad's response for an HTTP status forced by a fault. */
export function launchpadStatusReply(
  status: number,
  retryAfterSec: number | undefined,
): Reply {
  const headers: Record<string, string> =
    retryAfterSec === undefined && status !== 429
      ? {}
      : { 'retry-after': String(retryAfterSec ?? 60) };
  if (status === 404) {
    return launchpadNotFound(MALONE_APPLICATION, 'unknown');
  }
  if (status >= 500 || status === 429) {
    return launchpadHtmlPage(status, headers);
  }

  return textReply(status, `HTTP ${status}`, headers);
}
