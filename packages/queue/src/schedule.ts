import type { JobsOptions } from 'bullmq';
import type { SweepQueue } from './queues';
import { SWEEP_JOB, SWEEP_SCHEDULER_ID } from './names';

/**
 * Options of every sweep job. A sweep only adds deduplicated jobs, so
 * running it again after a database or Redis failure is harmless.
 */
export const SWEEP_JOB_OPTIONS: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 5_000, jitter: 0.5 },
  removeOnComplete: 50,
  removeOnFail: 50,
};

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
      opts: SWEEP_JOB_OPTIONS,
    },
  );
  const after = await queue.getJobScheduler(SWEEP_SCHEDULER_ID);

  return { changed, nextRunAt: after?.next };
}
