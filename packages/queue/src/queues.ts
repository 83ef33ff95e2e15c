import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { ISSUE_SOURCES, type IssueSource } from '@issue-sync/tracker-core';
import type {
  SweepJobData,
  SweepJobResult,
  SyncJobData,
  SyncJobResult,
} from './jobs';
import { SWEEP_QUEUE, SYNC_JOB, SYNC_QUEUES } from './names';

// Job names stay plain strings: BullMQ types scheduler ids with the job
// name type, and the sweep scheduler's id differs from its job name.
export type SweepQueue = Queue<SweepJobData, SweepJobResult, string>;
export type SyncQueue = Queue<SyncJobData, SyncJobResult, typeof SYNC_JOB>;

export interface QueueSet {
  /** The connection the queues share. */
  connection: Redis;
  sweep: SweepQueue;
  sync: Record<IssueSource, SyncQueue>;
  /** Every queue, sweep first. */
  all(): Array<SweepQueue | SyncQueue>;
  close(): Promise<void>;
}

export interface QueueSetOptions {
  /** A producer connection from createRedisConnection, shared by the queues. */
  connection: Redis;
  /** QUEUE_PREFIX; every process must use the same one. */
  prefix: string;
  /** Called for connection errors of any queue; BullMQ requires a listener. */
  onError: (queue: string, error: Error) => void;
}

/** Creates the sweep queue and the three tracker sync queues. */
export function createQueues(options: QueueSetOptions): QueueSet {
  const make = <Q extends Queue>(name: string): Q => {
    const queue = new Queue(name, {
      connection: options.connection,
      prefix: options.prefix,
    }) as Q;
    queue.on('error', (error) => options.onError(name, error));
    return queue;
  };
  const sweep = make<SweepQueue>(SWEEP_QUEUE);
  const sync = Object.fromEntries(
    ISSUE_SOURCES.map((source) => [
      source,
      make<SyncQueue>(SYNC_QUEUES[source]),
    ]),
  ) as Record<IssueSource, SyncQueue>;
  const all = (): Array<SweepQueue | SyncQueue> => [
    sweep,
    ...Object.values(sync),
  ];

  return {
    connection: options.connection,
    sweep,
    sync,
    all,
    close: async () => {
      await Promise.all(all().map((queue) => queue.close()));
    },
  };
}
