import type { QueueSet } from '@issue-sync/queue';
import type { IssueSource } from '@issue-sync/tracker-core';

/**
 * Finds the newest failed sync job of each given issue. Job ids are not
 * stored with issues, so this reads the newest `scanLimit` failed jobs of
 * each tracker queue involved and matches them by `data.issueId`. An issue
 * whose failed job is older, or already removed by removeOnFail, is absent
 * from the result.
 *
 * @returns job ids by issue id
 */
export async function findFailedJobIds(
  queues: QueueSet,
  issues: ReadonlyArray<{ id: number; source: IssueSource }>,
  scanLimit: number,
): Promise<Map<number, string>> {
  const idsBySource = new Map<IssueSource, Set<number>>();
  for (const issue of issues) {
    const ids = idsBySource.get(issue.source) ?? new Set<number>();
    ids.add(issue.id);
    idsBySource.set(issue.source, ids);
  }

  const found = new Map<number, string>();
  await Promise.all(
    [...idsBySource].map(async ([source, ids]) => {
      // Newest first, so the first match of an issue is its latest job.
      const jobs = await queues.sync[source].getFailed(0, scanLimit - 1);
      for (const job of jobs) {
        const issueId = job?.data?.issueId;
        if (job?.id !== undefined && ids.has(issueId) && !found.has(issueId)) {
          found.set(issueId, job.id);
        }
      }
    }),
  );

  return found;
}
