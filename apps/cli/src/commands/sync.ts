import {
  findIssueByRef,
  getIssue,
  listFailuresSince,
  readSyncProgress,
  registerIssue,
  type Issue,
  type SyncProgress,
} from '@issue-sync/db';
import {
  SWEEP_JOB,
  SWEEP_JOB_OPTIONS,
  enqueueSyncJobs,
  type QueueSet,
  type SweepJobResult,
} from '@issue-sync/queue';
import {
  IssueUrlError,
  formatIssueUrl,
  parseIssueUrl,
} from '@issue-sync/tracker-core';
import type { CommandContext } from '../context';
import { print, printError, truncate } from '../output';
import { ProgressLine } from '../progress';

export interface SyncOptions {
  all: boolean;
  wait: boolean;
  /** Give up waiting after this long; 0 waits for ever. */
  timeoutMs: number;
}

const POLL_MS = 500;
/** Polls in a row with no pending job before unfinished issues count as lost. */
const IDLE_POLLS_BEFORE_LOST = 10;
/**
 * Clock difference tolerated between this machine and the workers, whose
 * clocks stamp last_attempted_at.
 */
const CLOCK_SKEW_MS = 1_000;

/**
 * `issue-sync sync --all | URL | ID [--wait]`: queues a sweep of every issue
 * or one issue's sync now; with --wait, follows it until every issue it
 * covers has been attempted, prints the outcome, and returns 1 when any
 * failed.
 */
export async function syncCommand(
  context: CommandContext,
  target: string | undefined,
  options: SyncOptions,
): Promise<number> {
  if (options.all === (target !== undefined)) {
    printError(
      'give either --all or one issue URL or id, such as `issue-sync sync --all`',
    );
    return 2;
  }
  const queues = await context.queues();
  const since = new Date(Date.now() - CLOCK_SKEW_MS);
  const workers = await countWorkers(queues);
  if (workers === 0) {
    printError(
      'warning: no worker is connected to the queues; jobs wait until one starts (`pnpm worker`)',
    );
  }

  if (options.all) {
    const job = await queues.sweep.add(
      SWEEP_JOB,
      { trigger: 'manual' },
      SWEEP_JOB_OPTIONS,
    );
    print(`sweep queued (job ${job.id})`);
    if (!options.wait) {
      return 0;
    }
    const deadline =
      options.timeoutMs === 0 ? Infinity : Date.now() + options.timeoutMs;
    const sweep = await waitForSweep(queues, job.id!, deadline);
    if (sweep === undefined) {
      return 1;
    }
    print(
      `sweep read ${sweep.issues} issues: ${sweep.added} jobs added, ${sweep.skipped} already pending`,
    );
    return follow(
      context,
      queues,
      { maxId: sweep.maxIssueId },
      since,
      deadline,
    );
  }

  const issue = await resolveIssue(context, target!);
  if (issue === undefined) {
    return 1;
  }
  await enqueueSyncJobs(queues, [issue], {
    attempts: context.config.sync.retryAttempts,
    backoffMs: context.config.sync.retryBackoffMs,
    failedKeepCount: context.config.sync.failedJobsKeepCount,
    failedKeepAgeSec: context.config.sync.failedJobsKeepAgeSec,
  });
  print(
    `sync queued for #${issue.id} ${formatIssueUrl(issue, { jiraBaseUrl: context.config.jira.baseUrl })}`,
  );
  if (!options.wait) {
    return 0;
  }
  const deadline =
    options.timeoutMs === 0 ? Infinity : Date.now() + options.timeoutMs;

  return follow(context, queues, { ids: [issue.id] }, since, deadline);
}

async function resolveIssue(
  context: CommandContext,
  target: string,
): Promise<Issue | undefined> {
  if (/^[0-9]{1,10}$/.test(target)) {
    const issue = await getIssue(context.db, Number(target));
    if (issue === null) {
      printError(`no issue has id ${target}: see \`issue-sync list\``);
      return undefined;
    }
    return issue;
  }
  try {
    const ref = parseIssueUrl(target, {
      jiraBaseUrl: context.config.jira.baseUrl,
    });
    const found = await findIssueByRef(context.db, ref);
    if (found !== null) {
      return found;
    }
    const { issue } = await registerIssue(context.db, ref);
    print(`registered #${issue.id}`);
    return issue;
  } catch (error) {
    if (error instanceof IssueUrlError) {
      printError(error.message);
      return undefined;
    }
    throw error;
  }
}

async function waitForSweep(
  queues: QueueSet,
  jobId: string,
  deadline: number,
): Promise<SweepJobResult | undefined> {
  for (;;) {
    const job = await queues.sweep.getJob(jobId);
    const state = job === undefined ? 'missing' : await job.getState();
    if (state === 'completed') {
      return job!.returnvalue;
    }
    if (state === 'failed' || state === 'missing') {
      printError(
        `sweep job ${jobId} ${state === 'failed' ? `failed: ${job!.failedReason}` : 'vanished from Redis'}; see the worker logs`,
      );
      return undefined;
    }
    if (Date.now() > deadline) {
      printError(
        `timed out waiting for sweep job ${jobId} to run (state: ${state})`,
      );
      return undefined;
    }
    await sleep(POLL_MS);
  }
}

async function follow(
  context: CommandContext,
  queues: QueueSet,
  scope: { maxId: number } | { ids: number[] },
  since: Date,
  deadline: number,
): Promise<number> {
  const progressLine = new ProgressLine();
  let idlePolls = 0;
  let progress: SyncProgress;
  for (;;) {
    progress = await readSyncProgress(context.db, scope, since);
    const total = progress.pending + progress.synced + progress.failed;
    const done = progress.synced + progress.failed;
    progressLine.update(
      done,
      total,
      `synced ${progress.synced}, failed ${progress.failed}`,
    );
    if (progress.pending === 0) {
      progressLine.finish(
        done,
        total,
        `synced ${progress.synced}, failed ${progress.failed}`,
      );
      break;
    }
    idlePolls = (await countPendingJobs(queues)) === 0 ? idlePolls + 1 : 0;
    if (idlePolls >= IDLE_POLLS_BEFORE_LOST) {
      progressLine.finish(done, total, 'stopped');
      printError(
        `${progress.pending} issues have no pending sync job, so they will not finish in this run (was Redis flushed?); run \`issue-sync sync --all\` again`,
      );
      return 1;
    }
    if (Date.now() > deadline) {
      progressLine.finish(done, total, 'timed out');
      printError(`timed out with ${progress.pending} issues still pending`);
      return 1;
    }
    await sleep(POLL_MS);
  }

  print(`done: ${progress.synced} synced, ${progress.failed} failed`);
  if (progress.failed === 0) {
    return 0;
  }
  const failures = await listFailuresSince(context.db, scope, since, 20);
  for (const issue of failures) {
    const url = formatIssueUrl(issue, {
      jiraBaseUrl: context.config.jira.baseUrl,
    });
    print(
      `  failed #${issue.id} ${url}: ${truncate(issue.syncError ?? '', 200)}`,
    );
  }
  if (progress.failed > failures.length) {
    print(
      `  ... and ${progress.failed - failures.length} more: \`issue-sync list --sync-status SYNC_FAILED\``,
    );
  }

  return 1;
}

async function countPendingJobs(queues: QueueSet): Promise<number> {
  const counts = await Promise.all(
    queues
      .all()
      .map((queue) =>
        queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
      ),
  );

  return counts.reduce(
    (sum, count) => sum + Object.values(count).reduce((a, b) => a + b, 0),
    0,
  );
}

async function countWorkers(queues: QueueSet): Promise<number> {
  const counts = await Promise.all(
    queues.all().map((queue) => queue.getWorkersCount()),
  );

  return counts.reduce((a, b) => a + b, 0);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
