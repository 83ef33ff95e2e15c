import express, { type RequestHandler, type Router } from 'express';
import {
  SYNC_STATUSES,
  ISSUE_STATUSES,
  getIssue,
  listIssues,
  registerIssue,
  type Database,
  type IssueFilter,
} from '@issue-sync/db';
import {
  SYNC_QUEUES,
  enqueueSyncJobs,
  syncDeduplicationId,
  type QueueSet,
  type RetryPolicyOptions,
} from '@issue-sync/queue';
import {
  ISSUE_SOURCES,
  IssueUrlError,
  parseIssueUrl,
  type IssueSource,
} from '@issue-sync/tracker-core';
import { HttpError } from './http-error';
import { toIssueJson } from './issue-links';
import { MAX_ID, readChoice, readInteger, readQuery } from './query-params';
import { requireWriteAccess } from './request-guards';
import type { SecretScrubber } from './secret-scrubber';

const LIST_PARAMETERS = [
  'sync_status',
  'source',
  'status',
  'project',
  'after_id',
  'limit',
] as const;

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;

/** Maximum length of a project name in the issue table (varchar(200)). */
const MAX_PROJECT_LENGTH = 200;

/** Maximum length of an issue URL that POST /api/issues accepts. */
const MAX_URL_LENGTH = 2048;

export interface IssuesApiOptions {
  db: Database;
  queues: QueueSet;
  policy: RetryPolicyOptions;
  /** JIRA_BASE_URL, for parsing and building Jira issue URLs. */
  jiraBaseUrl: string;
  /** Whether dashboard credentials are configured; writes need them. */
  authEnabled: boolean;
  scrubber: SecretScrubber;
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes: number;
}

/** What POST /api/issues/:id/sync did with the issue's sync job. */
export type SyncRequestResult =
  /** A new sync job was added. */
  | 'queued'
  /** A job was already waiting or running; it syncs the issue soon. */
  | 'already_queued'
  /** A job was waiting for its retry backoff and now runs at once. */
  | 'promoted';

function isJsonMediaType(header: string | undefined): boolean {
  const mediaType = header?.split(';')[0]?.trim().toLowerCase();

  return mediaType === 'application/json';
}

/** Responds 415 unless the request declares a JSON body. */
const requireJsonBody: RequestHandler = (request, _response, next) => {
  if (!isJsonMediaType(request.headers['content-type'])) {
    throw new HttpError(
      415,
      'Unsupported Content-Type: send the body as JSON with Content-Type: application/json',
    );
  }

  next();
};

/** Responds 415 to a declared body that is not JSON, and passes requests without one. */
const allowOnlyJsonBody: RequestHandler = (request, _response, next) => {
  const contentType = request.headers['content-type'];
  if (contentType !== undefined && !isJsonMediaType(contentType)) {
    throw new HttpError(
      415,
      'Unsupported Content-Type: send no body, or JSON with Content-Type: application/json',
    );
  }

  next();
};

function readListFilter(query: Record<string, unknown>): {
  filter: IssueFilter;
  afterId: number;
  limit: number;
} {
  const values = readQuery(query, LIST_PARAMETERS);
  const filter: IssueFilter = {};
  if (values.sync_status !== undefined) {
    filter.syncStatus = readChoice(
      'sync_status',
      values.sync_status,
      SYNC_STATUSES,
    );
  }
  if (values.source !== undefined) {
    filter.source = readChoice('source', values.source, ISSUE_SOURCES);
  }
  if (values.status !== undefined) {
    filter.status = readChoice('status', values.status, ISSUE_STATUSES);
  }
  if (values.project !== undefined) {
    if (values.project === '' || values.project.length > MAX_PROJECT_LENGTH) {
      throw new HttpError(
        400,
        `Invalid project: use a project name of 1 to ${MAX_PROJECT_LENGTH} characters, such as owner/repo, PROJ or launchpad-project`,
      );
    }
    filter.project = values.project;
  }

  return {
    filter,
    afterId:
      values.after_id === undefined
        ? 0
        : readInteger('after_id', values.after_id, 0, MAX_ID),
    limit:
      values.limit === undefined
        ? DEFAULT_LIMIT
        : readInteger('limit', values.limit, 1, MAX_LIMIT),
  };
}

function readIssueUrl(body: unknown): string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(
      400,
      'Request body must be a JSON object such as {"url": "https://github.com/owner/repo/issues/1"}',
    );
  }

  const extra = Object.keys(body).filter((field) => field !== 'url');
  if (extra.length > 0) {
    throw new HttpError(
      400,
      `Unknown field ${JSON.stringify(extra[0])} in the request body: send only "url"`,
    );
  }

  const url = (body as { url?: unknown }).url;
  if (typeof url !== 'string' || url.trim() === '') {
    throw new HttpError(
      400,
      'Field "url" is missing or not a string: send the issue URL, such as {"url": "https://github.com/owner/repo/issues/1"}',
    );
  }
  if (url.length > MAX_URL_LENGTH) {
    throw new HttpError(
      400,
      `Field "url" is longer than ${MAX_URL_LENGTH} characters: send the URL of one issue`,
    );
  }

  return url.trim();
}

function readIssueId(text: string | undefined): number {
  const id = /^\d{1,10}$/.test(text ?? '') ? Number(text) : Number.NaN;
  if (!(id >= 1 && id <= MAX_ID)) {
    throw new HttpError(
      400,
      `Invalid issue id ${JSON.stringify(text)}: use a positive whole number, as listed by GET /api/issues`,
    );
  }

  return id;
}

async function requestSync(
  queues: QueueSet,
  issue: { id: number; source: IssueSource },
  policy: RetryPolicyOptions,
): Promise<SyncRequestResult> {
  const { added } = await enqueueSyncJobs(queues, [issue], policy);
  if (added === 1) {
    return 'queued';
  }

  // Deduplication kept the pending job. When it waits for a retry backoff,
  // promoting it makes the requested sync happen now instead.
  const queue = queues.sync[issue.source];
  const jobId = await queue.getDeduplicationJobId(
    syncDeduplicationId(issue.id),
  );
  const job = jobId === null ? undefined : await queue.getJob(jobId);
  if (job !== undefined && (await job.getState()) === 'delayed') {
    await job.promote();
    return 'promoted';
  }

  return 'already_queued';
}

/**
 * Creates the router of /api/issues: GET lists issues with filters and
 * keyset paging, POST registers an issue by URL, and POST /:id/sync queues
 * an immediate sync. Writes get 403 while no credentials are configured.
 */
export function createIssuesApi(options: IssuesApiOptions): Router {
  const router = express.Router();
  const parseJson = express.json({ limit: options.bodyLimitBytes });
  const writeAccess = requireWriteAccess(options.authEnabled);
  const send = <T>(value: T): T => options.scrubber.scrubDeep(value);

  router.get('/', async (request, response) => {
    const { filter, afterId, limit } = readListFilter(
      request.query as Record<string, unknown>,
    );
    // Rows come in id order, so the primary key continues each page; the
    // (sync_status, source), (project, source, key) and
    // (status, last_synced_at) indexes serve the filters. Fetching one row
    // more than the limit shows whether another page follows.
    const rows = await listIssues(options.db, filter, {
      afterId,
      limit: limit + 1,
    });
    const issues = rows.slice(0, limit);
    const last = issues[issues.length - 1];

    response.json(
      send({
        issues: issues.map((issue) => toIssueJson(issue, options.jiraBaseUrl)),
        next_after_id: rows.length > limit && last ? last.id : null,
      }),
    );
  });

  router.post(
    '/',
    writeAccess,
    requireJsonBody,
    parseJson,
    async (request, response) => {
      const url = readIssueUrl(request.body);
      let ref;
      try {
        ref = parseIssueUrl(url, { jiraBaseUrl: options.jiraBaseUrl });
      } catch (error) {
        if (error instanceof IssueUrlError) {
          throw new HttpError(400, error.message);
        }
        throw error;
      }

      const { issue, created } = await registerIssue(options.db, ref);
      response
        .status(created ? 201 : 200)
        .json(send(toIssueJson(issue, options.jiraBaseUrl)));
    },
  );

  router.post(
    '/:id/sync',
    writeAccess,
    allowOnlyJsonBody,
    parseJson,
    async (request, response) => {
      const id = readIssueId(String(request.params.id));
      const issue = await getIssue(options.db, id);
      if (issue === null) {
        throw new HttpError(
          404,
          `Issue ${id} not found: list registered issues with GET /api/issues`,
        );
      }

      const result = await requestSync(options.queues, issue, options.policy);
      response.status(202).json({
        issue_id: id,
        queue: SYNC_QUEUES[issue.source],
        result,
      });
    },
  );

  return router;
}
