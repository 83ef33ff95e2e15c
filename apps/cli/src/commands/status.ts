import {
  countBySyncStatus,
  listFailingIssues,
  SYNC_STATUSES,
  type SyncStatus,
} from '@issue-sync/db';
import { SWEEP_SCHEDULER_ID } from '@issue-sync/queue';
import { formatIssueUrl, ISSUE_SOURCES } from '@issue-sync/tracker-core';
import type { CommandContext } from '../context';
import { formatTable, print, printJson, truncate } from '../output';

interface QueueReport {
  name: string;
  counts: Record<string, number>;
}

interface ScheduleReport {
  nextRunAt: string | null;
  everyMs: number | null;
}

/**
 * `issue-sync status`: issue counts by tracker and sync_status, the recent
 * failures with their errors, and, when Redis answers, queue depths and the
 * next sweep.
 */
export async function statusCommand(
  context: CommandContext,
  options: { json: boolean; failures: number },
): Promise<number> {
  const counts = await countBySyncStatus(context.db);
  const { issues: failures } = await listFailingIssues(context.db, {
    limit: options.failures,
  });
  let queues: QueueReport[] | null = null;
  let schedule: ScheduleReport | null = null;
  let redisError: string | null = null;
  try {
    const set = await context.queues();
    queues = await Promise.all(
      set.all().map(async (queue) => ({
        name: queue.name,
        counts: await queue.getJobCounts(
          'waiting',
          'active',
          'delayed',
          'failed',
          'prioritized',
        ),
      })),
    );
    const scheduler = await set.sweep.getJobScheduler(SWEEP_SCHEDULER_ID);
    schedule = {
      nextRunAt:
        scheduler?.next === undefined
          ? null
          : new Date(scheduler.next).toISOString(),
      everyMs: scheduler?.every === undefined ? null : Number(scheduler.every),
    };
  } catch (error) {
    redisError = error instanceof Error ? error.message : String(error);
  }

  const table = ISSUE_SOURCES.map((source) => {
    const row: Record<SyncStatus, number> = {
      NEVER_SYNCED: 0,
      SYNCED: 0,
      SYNC_FAILED: 0,
    };
    for (const count of counts.filter((c) => c.source === source)) {
      row[count.syncStatus] = count.count;
    }
    return { source, ...row };
  });
  const jiraBaseUrl = context.config.jira.baseUrl;
  const failureRows = failures.map((issue) => ({
    id: issue.id,
    url: formatIssueUrl(issue, { jiraBaseUrl }),
    syncError: issue.syncError,
    lastAttemptedAt: issue.lastAttemptedAt?.toISOString() ?? null,
    lastSyncedAt: issue.lastSyncedAt?.toISOString() ?? null,
  }));

  if (options.json) {
    printJson({
      counts: table,
      failures: failureRows,
      queues,
      schedule,
      redisError,
    });
    return 0;
  }
  const header = ['TRACKER', ...SYNC_STATUSES, 'TOTAL'];
  const rows = table.map((row) => {
    const values = SYNC_STATUSES.map((status) => row[status]);
    return [
      row.source,
      ...values.map(String),
      String(values.reduce((a, b) => a + b, 0)),
    ];
  });
  for (const line of formatTable(header, rows)) {
    print(line);
  }
  print();
  if (redisError !== null) {
    print(`queues: Redis unavailable (${redisError})`);
  } else {
    for (const queue of queues ?? []) {
      const parts = Object.entries(queue.counts).map(
        ([state, n]) => `${state} ${n}`,
      );
      print(`queue ${queue.name}: ${parts.join(', ')}`);
    }
    print(
      schedule?.nextRunAt === null || schedule === null
        ? 'next sweep: no schedule registered (is the scheduler running?)'
        : `next sweep: ${schedule.nextRunAt}`,
    );
  }
  if (failureRows.length > 0) {
    print();
    print('recent failures:');
    for (const failure of failureRows) {
      print(`  #${failure.id} ${failure.url}`);
      print(`    ${truncate(failure.syncError ?? '', 200)}`);
      print(
        `    last attempt ${failure.lastAttemptedAt}, last success ${failure.lastSyncedAt ?? 'never'}`,
      );
    }
  }

  return 0;
}
