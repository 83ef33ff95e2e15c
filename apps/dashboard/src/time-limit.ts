/**
 * Time a dashboard read from Redis may take. BullMQ waits for a lost
 * connection to come back instead of failing, so without a limit a page
 * or a scrape would hang for as long as Redis is down.
 */
export const REDIS_READ_TIMEOUT_MS = 3_000;

/** Rejects with "timed out after N ms" unless `work` settles within `ms`. */
export async function withTimeLimit<T>(
  work: Promise<T>,
  ms: number,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
