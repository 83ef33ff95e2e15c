import { Redis } from 'ioredis';

export const REDIS_URL = 'redis://127.0.0.1:6379';

/** A queue prefix no other test run uses. */
export function uniquePrefix(label: string): string {
  return `t-${label}-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
}

/**
 * Deletes every key under `prefix`, the way a Redis restart without
 * persistence loses them, without touching other runs' keys.
 */
export async function deleteKeys(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL);
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${prefix}:*`,
        'COUNT',
        1000,
      );
      cursor = next;
      if (keys.length > 0) {
        deleted += await redis.del(...keys);
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }

  return deleted;
}

/** Counts the keys under `prefix`. */
export async function countKeys(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL);
  let count = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${prefix}:*`,
        'COUNT',
        1000,
      );
      cursor = next;
      count += keys.length;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }

  return count;
}
