import {
  SWEEP_SCHEDULER_ID,
  type SweepJobResult,
  type SweepQueue,
} from '@issue-sync/queue';

/** The last and the next sweep, as the sweep queue records them. */
export interface SweepInfo {
  /** The newest completed sweep job, kept by the queue's removeOnComplete. */
  lastCompleted?: { jobId: string; finishedAt: Date; result?: SweepJobResult };
  /** The newest sweep job that failed all its attempts. */
  lastFailed?: { jobId: string; finishedAt: Date; reason: string };
  /** When the job scheduler runs the next sweep; unset without a schedule. */
  nextRunAt?: Date;
  /** The schedule's interval, in milliseconds. */
  intervalMs?: number;
}

function toDate(epochMs: number | undefined): Date | undefined {
  return epochMs === undefined || !Number.isFinite(Number(epochMs))
    ? undefined
    : new Date(Number(epochMs));
}

/** Reads the last completed and failed sweeps and the schedule. */
export async function readSweepInfo(queue: SweepQueue): Promise<SweepInfo> {
  // Completed and failed jobs are sorted by finish time, newest first.
  const [completed, failed, scheduler] = await Promise.all([
    queue.getCompleted(0, 0),
    queue.getFailed(0, 0),
    queue.getJobScheduler(SWEEP_SCHEDULER_ID),
  ]);
  const info: SweepInfo = {
    nextRunAt: toDate(scheduler?.next),
    intervalMs:
      scheduler?.every === undefined ? undefined : Number(scheduler.every),
  };

  const last = completed[0];
  const lastFinishedAt = toDate(last?.finishedOn);
  if (last?.id !== undefined && lastFinishedAt !== undefined) {
    info.lastCompleted = {
      jobId: last.id,
      finishedAt: lastFinishedAt,
      result: (last.returnvalue as SweepJobResult | null) ?? undefined,
    };
  }

  const lastFailure = failed[0];
  const failedAt = toDate(lastFailure?.finishedOn);
  if (lastFailure?.id !== undefined && failedAt !== undefined) {
    info.lastFailed = {
      jobId: lastFailure.id,
      finishedAt: failedAt,
      reason: lastFailure.failedReason ?? '',
    };
  }

  return info;
}
