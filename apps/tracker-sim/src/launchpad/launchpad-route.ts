import { jsonReply, type Reply } from '../http-reply';
import type { IssueStore, LaunchpadRecord } from '../issue-store';
import type { RouteRequest, RouteResult, TrackerRoute } from '../route';
import {
  launchpadNotFound,
  MALONE_APPLICATION,
  parseTaskTarget,
  toBugEntry,
  toTaskEntry,
  WEB_SERVICE_APPLICATION,
} from './launchpad-bodies';

const BUG_PATH = /^\/bugs\/([^/]+)$/;
const BUG_TASKS_PATH = /^\/bugs\/([^/]+)\/bug_tasks$/;
const TASK_PATH = /^\/((?:[^/+]+)(?:\/\+source\/[^/]+)?)\/\+bug\/([^/]+)$/;
// Launchpad's web service pages collections by 75 entries, at most 300.
const DEFAULT_PAGE_SIZE = 75;
const MAX_PAGE_SIZE = 300;
const BUG_ID = /^[1-9][0-9]*$/;

function readPaging(query: URLSearchParams): { start: number; size: number } {
  const start = Number(query.get('ws.start') ?? 0);
  const size = Number(query.get('ws.size') ?? DEFAULT_PAGE_SIZE);

  return {
    start: Number.isInteger(start) && start >= 0 ? start : 0,
    size:
      Number.isInteger(size) && size > 0
        ? Math.min(size, MAX_PAGE_SIZE)
        : DEFAULT_PAGE_SIZE,
  };
}

/** Serves Launchpad's anonymous devel web service below `/launchpad/devel`. */
export class LaunchpadRoute implements TrackerRoute {
  constructor(private readonly store: IssueStore) {}

  endpointOf(method: string, path: string): string {
    if (BUG_PATH.test(path)) {
      return `${method} /bugs/{id}`;
    }
    if (BUG_TASKS_PATH.test(path)) {
      return `${method} /bugs/{id}/bug_tasks`;
    }
    if (TASK_PATH.test(path)) {
      return `${method} /{target}/+bug/{id}`;
    }

    return `${method} (unmatched)`;
  }

  handle(request: RouteRequest): RouteResult {
    const apiBase = `${request.origin}/launchpad/devel`;
    const bugMatch =
      BUG_PATH.exec(request.path) ?? BUG_TASKS_PATH.exec(request.path);
    if (request.method === 'GET' && bugMatch !== null) {
      const name = decodeURIComponent(bugMatch[1]!);
      const { record, touched } = this.findBug(name);
      if (record === undefined) {
        return { reply: launchpadNotFound(MALONE_APPLICATION, name), touched };
      }
      const reply = BUG_PATH.test(request.path)
        ? this.entryReply(toBugEntry(record, apiBase), request)
        : this.tasksReply(record, request, apiBase);

      return { reply, touched };
    }

    const taskMatch = TASK_PATH.exec(request.path);
    if (request.method === 'GET' && taskMatch !== null) {
      return this.taskEntry(
        taskMatch[1]!,
        decodeURIComponent(taskMatch[2]!),
        request,
        apiBase,
      );
    }

    const firstSegment = request.path.split('/')[1] ?? '';

    return {
      reply: launchpadNotFound(WEB_SERVICE_APPLICATION, firstSegment),
      touched: [],
    };
  }

  private findBug(name: string): {
    record: LaunchpadRecord | undefined;
    touched: string[];
  } {
    if (!BUG_ID.test(name)) {
      return { record: undefined, touched: [] };
    }
    const touched = [`launchpad:${name}`];
    const record = this.store.launchpadBug(Number(name));

    // Anonymous readers cannot tell a private bug from a missing one.
    return { record: record?.isPrivate ? undefined : record, touched };
  }

  private taskEntry(
    targetPath: string,
    name: string,
    request: RouteRequest,
    apiBase: string,
  ): RouteResult {
    const target = parseTaskTarget(targetPath);
    const objectName = target.isPackage
      ? 'DistributionSourcePackage'
      : 'Product';
    const { record, touched } = this.findBug(name);
    const task = record?.tasks.find(
      (candidate) => parseTaskTarget(candidate.target).path === target.path,
    );
    if (record === undefined || task === undefined) {
      return { reply: launchpadNotFound(objectName, name), touched };
    }

    return {
      reply: this.entryReply(toTaskEntry(record, task, apiBase), request),
      touched,
    };
  }

  private tasksReply(
    record: LaunchpadRecord,
    request: RouteRequest,
    apiBase: string,
  ): Reply {
    const { start, size } = readPaging(request.query);
    const entries = record.tasks
      .slice(start, start + size)
      .map((task) => toTaskEntry(record, task, apiBase));
    const body: Record<string, unknown> = {
      start,
      total_size: record.tasks.length,
    };
    if (start + size < record.tasks.length) {
      body.next_collection_link = `${apiBase}/bugs/${record.bugId}/bug_tasks?ws.size=${size}&memo=${start + size}&ws.start=${start + size}`;
    }
    if (start > 0) {
      const previous = Math.max(0, start - size);
      body.prev_collection_link = `${apiBase}/bugs/${record.bugId}/bug_tasks?ws.size=${size}&memo=${previous}&ws.start=${previous}`;
    }
    body.entries = entries;
    body.resource_type_link = `${apiBase}/#bug_task-page-resource`;

    return jsonReply(200, body, {}, 'application/json');
  }

  /** Returns an entry with its ETag, or 304 when the client already has it. */
  private entryReply(
    entry: Record<string, unknown>,
    request: RouteRequest,
  ): Reply {
    const etag = `"${String(entry.http_etag)}"`;
    if (request.headers['if-none-match'] === etag) {
      return { status: 304, headers: { etag }, body: '' };
    }

    return jsonReply(200, entry, { etag }, 'application/json');
  }
}
