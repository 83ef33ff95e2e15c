import type { SweepQueue } from './queues';
import { SWEEP_JOB, SWEEP_SCHEDULER_ID } from './names';

export interface ScheduleResult {
  /** True when the call created or replaced the schedule. */
  changed: boolean;
  /** When the next sweep is due, in epoch milliseconds. */
  nextRunAt: number | undefined;
}

/**
 * Registers the one sweep schedule, or replaces it when the interval
 * changed. Upserting an unchanged scheduler is idempotent in BullMQ 6, so
 * any number of scheduler processes may call this at any time.
 */
export async function upsertSweepSchedule(
  queue: SweepQueue,
  intervalMs: number,
): Promise<ScheduleResult> {
  const current = await queue.getJobScheduler(SWEEP_SCHEDULER_ID);
  const changed = current === undefined || Number(current.every) !== intervalMs;
  await queue.upsertJobScheduler(
    SWEEP_SCHEDULER_ID,
    { every: intervalMs },
    {
      name: SWEEP_JOB,
      data: { trigger: 'schedule' },
      opts: { removeOnComplete: 50, removeOnFail: 50 },
    },
  );
  const after = await queue.getJobScheduler(SWEEP_SCHEDULER_ID);

  return { changed, nextRunAt: after?.next };
}
