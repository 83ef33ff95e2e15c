export {
  ALL_QUEUES,
  SWEEP_JOB,
  SWEEP_QUEUE,
  SWEEP_SCHEDULER_ID,
  SYNC_JOB,
  SYNC_QUEUES,
  syncDeduplicationId,
} from './names';
export type {
  SweepJobData,
  SweepJobResult,
  SyncJobData,
  SyncJobResult,
} from './jobs';
export { createRedisConnection, waitForRedis } from './connection';
export type { RedisRole } from './connection';
export { createQueues } from './queues';
export type {
  QueueSet,
  QueueSetOptions,
  SweepQueue,
  SyncQueue,
} from './queues';
export { decideFailure, syncJobOptions } from './retry-policy';
export type { FailureDecision, RetryPolicyOptions } from './retry-policy';
export { enqueueSyncJobs } from './enqueue';
export type { EnqueueResult } from './enqueue';
export { SWEEP_JOB_OPTIONS, upsertSweepSchedule } from './schedule';
export type { ScheduleResult } from './schedule';
