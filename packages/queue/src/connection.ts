import { Redis, type RedisOptions } from 'ioredis';

export type RedisRole = 'worker' | 'producer';

/**
 * Creates an ioredis connection for BullMQ. Workers need
 * `maxRetriesPerRequest: null` so blocking commands survive reconnects
 * (BullMQ refuses other values there). Producers such as the CLI fail fast
 * instead: with the offline queue off, a command sent while Redis is down
 * rejects at once rather than hanging.
 */
export function createRedisConnection(
  url: string,
  role: RedisRole,
  name?: string,
): Redis {
  const common: RedisOptions = {
    connectionName: name,
    // Reconnect forever, backing off up to 5 s; jobs resume once Redis is back.
    retryStrategy: (times) => Math.min(times * 200, 5_000),
  };
  const options: RedisOptions =
    role === 'worker'
      ? { ...common, maxRetriesPerRequest: null }
      : {
          ...common,
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          connectTimeout: 5_000,
        };

  return new Redis(url, options);
}

/** Resolves when the connection is ready, or rejects after `timeoutMs`. */
export async function waitForRedis(
  connection: Redis,
  timeoutMs: number,
): Promise<void> {
  if (connection.status === 'ready') {
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new Error(
          `Redis did not answer within ${timeoutMs} ms: check REDIS_URL and that Redis is running`,
        ),
      );
    }, timeoutMs);
    const onReady = (): void => {
      cleanup();
      resolve();
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      connection.off('ready', onReady);
    };
    connection.on('ready', onReady);
  });
}
