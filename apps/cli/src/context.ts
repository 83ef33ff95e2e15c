import type { AppConfig, LoadedConfig } from '@issue-sync/config';
import { secretsOf } from '@issue-sync/config';
import { createDatabase, type Database } from '@issue-sync/db';
import { createLogger, type Logger } from '@issue-sync/logger';
import {
  createQueues,
  createRedisConnection,
  waitForRedis,
  type QueueSet,
} from '@issue-sync/queue';
import type { Redis } from 'ioredis';

/**
 * What a command needs, opened on first use and closed once at exit, so a
 * command that only reads PostgreSQL never connects to Redis.
 */
export class CommandContext {
  readonly config: AppConfig;
  readonly logger: Logger;
  private database?: Database;
  private redis?: Redis;
  private queueSet?: QueueSet;

  constructor(readonly loaded: LoadedConfig) {
    this.config = loaded.config;
    // Commands print for people on stdout; diagnostics go to stderr as JSON.
    this.logger = createLogger({
      service: 'cli',
      level:
        loaded.config.log.level === 'info' ? 'warn' : loaded.config.log.level,
      format: loaded.config.log.format,
      secrets: secretsOf(loaded.config),
      stream: process.stderr,
    });
  }

  get db(): Database {
    this.database ??= createDatabase({
      url: this.config.databaseUrl,
      poolSize: 3,
    });
    return this.database;
  }

  /** The queues, once Redis answers; fails within 5 s when it does not. */
  async queues(): Promise<QueueSet> {
    if (this.queueSet === undefined) {
      this.redis = createRedisConnection(
        this.config.redisUrl,
        'producer',
        'issue-sync-cli',
      );
      this.redis.on('error', () => {
        // Reported by waitForRedis or by the failing command itself.
      });
      await waitForRedis(this.redis, 5_000);
      this.queueSet = createQueues({
        connection: this.redis,
        prefix: this.config.queuePrefix,
        onError: (queue, err) =>
          this.logger.warn('queue error', { queue, err }),
      });
    }

    return this.queueSet;
  }

  async close(): Promise<void> {
    await this.queueSet?.close();
    this.redis?.disconnect();
    await this.database?.$disconnect();
  }
}
