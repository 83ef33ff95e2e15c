/** Wait used when GitHub signals a rate limit without telling when it ends. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

const MIN_WAIT_MS = 1_000;

/** Header lookup shared by fetch's Headers and plain header records. */
export interface HeaderSource {
  get(name: string): string | null;
}

/**
 * Computes how long to wait after a rate-limited response, in the order GitHub
 * documents: `retry-after` (seconds or an HTTP date), then
 * `x-ratelimit-reset` (epoch seconds), then the `resetAt` of the last
 * `rateLimit` object seen, then one minute. Never less than one second.
 */
export function computeRetryAfterMs(
  headers: HeaderSource | undefined,
  lastResetAt: string | undefined,
  nowMs: number = Date.now(),
): number {
  const retryAfter = headers?.get('retry-after');
  if (retryAfter !== null && retryAfter !== undefined) {
    const waitMs = parseRetryAfter(retryAfter, nowMs);
    if (waitMs !== undefined) {
      return Math.max(waitMs, MIN_WAIT_MS);
    }
  }

  const reset = headers?.get('x-ratelimit-reset');
  if (reset !== null && reset !== undefined && /^\d+$/.test(reset.trim())) {
    return Math.max(Number(reset.trim()) * 1000 - nowMs, MIN_WAIT_MS);
  }

  if (lastResetAt !== undefined) {
    const resetMs = Date.parse(lastResetAt);
    if (!Number.isNaN(resetMs)) {
      return Math.max(resetMs - nowMs, MIN_WAIT_MS);
    }
  }

  return DEFAULT_RATE_LIMIT_WAIT_MS;
}

function parseRetryAfter(value: string, nowMs: number): number | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed) * 1000;
  }

  const dateMs = Date.parse(trimmed);

  return Number.isNaN(dateMs) ? undefined : dateMs - nowMs;
}

/**
 * Tells whether a 403 or 429 is a rate limit rather than a permission
 * problem: GitHub marks primary limits with `x-ratelimit-remaining: 0` and
 * secondary limits with `retry-after` or their message.
 */
export function isRateLimitResponse(
  status: number,
  headers: HeaderSource | undefined,
  message: string,
): boolean {
  if (status === 429) {
    return true;
  }
  if (status !== 403) {
    return false;
  }

  return (
    headers?.get('x-ratelimit-remaining') === '0' ||
    headers?.get('retry-after') != null ||
    /rate limit/i.test(message)
  );
}
