import type { TestDatabase } from '@issue-sync/test-support';
import type { Redis } from 'ioredis';
import net from 'node:net';

/** One place a secret could leak to, with everything it showed. */
export interface Surface {
  name: string;
  text: string;
}

/** Returns a TCP port on 127.0.0.1 that was free a moment ago. */
export async function findFreePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));

  return port;
}

/**
 * Reads every key under `prefix` in full, whatever its type, as one text:
 * strings, hashes, lists, sets, sorted sets with scores, and streams.
 */
export async function dumpRedisPrefix(
  redis: Redis,
  prefix: string,
): Promise<{ keys: number; text: string }> {
  const parts: string[] = [];
  let keys = 0;
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(
      cursor,
      'MATCH',
      `${prefix}:*`,
      'COUNT',
      500,
    );
    cursor = next;
    for (const key of batch) {
      keys += 1;
      parts.push(key, JSON.stringify(await readKey(redis, key)));
    }
  } while (cursor !== '0');

  return { keys, text: parts.join('\n') };
}

async function readKey(redis: Redis, key: string): Promise<unknown> {
  const type = await redis.type(key);
  switch (type) {
    case 'string':
      return redis.get(key);
    case 'hash':
      return redis.hgetall(key);
    case 'list':
      return redis.lrange(key, 0, -1);
    case 'set':
      return redis.smembers(key);
    case 'zset':
      return redis.zrange(key, 0, -1, 'WITHSCORES');
    case 'stream':
      return redis.xrange(key, '-', '+');
    case 'none':
      // Removed between SCAN and TYPE, as BullMQ does with finished jobs.
      return null;
    default:
      throw new Error(
        `key ${key} has type ${type}, which this dump cannot read`,
      );
  }
}

/** Reads every row of every table in the public schema as one text. */
export async function dumpDatabase(db: TestDatabase): Promise<string> {
  const tables = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' ORDER BY table_name`,
  );
  const parts: string[] = [];
  for (const { table_name: table } of tables) {
    const rows = await db.query(`SELECT * FROM "${table}"`);
    parts.push(table, JSON.stringify(rows));
  }

  return parts.join('\n');
}

/** Fetches a page and returns its status line and body as one text. */
export async function fetchText(
  url: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const response = await fetch(url, { headers });
  const body = await response.text();

  return `${response.status} ${url}\n${body}`;
}
