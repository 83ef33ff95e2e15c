import { computeRetryAfterMs, isRateLimitResponse } from './rate-limit';

const NOW = Date.parse('2025-01-01T00:00:00Z');

function headers(values: Record<string, string>) {
  return new Headers(values);
}

describe('computeRetryAfterMs', () => {
  it('reads retry-after seconds first', () => {
    expect(
      computeRetryAfterMs(
        headers({
          'retry-after': '30',
          'x-ratelimit-reset': String(NOW / 1000 + 600),
        }),
        undefined,
        NOW,
      ),
    ).toBe(30_000);
  });

  it('reads a retry-after HTTP date', () => {
    expect(
      computeRetryAfterMs(
        headers({ 'retry-after': 'Wed, 01 Jan 2025 00:02:00 GMT' }),
        undefined,
        NOW,
      ),
    ).toBe(120_000);
  });

  it('reads x-ratelimit-reset epoch seconds next', () => {
    expect(
      computeRetryAfterMs(
        headers({ 'x-ratelimit-reset': String(NOW / 1000 + 600) }),
        '2025-01-01T05:00:00Z',
        NOW,
      ),
    ).toBe(600_000);
  });

  it('reads the last resetAt after the headers', () => {
    expect(computeRetryAfterMs(headers({}), '2025-01-01T00:15:00Z', NOW)).toBe(
      900_000,
    );
  });

  it('waits 60 s when nothing tells the end', () => {
    expect(computeRetryAfterMs(undefined, undefined, NOW)).toBe(60_000);
    expect(
      computeRetryAfterMs(
        headers({ 'retry-after': 'soon' }),
        'not a date',
        NOW,
      ),
    ).toBe(60_000);
  });

  it('waits at least one second', () => {
    expect(
      computeRetryAfterMs(headers({ 'retry-after': '0' }), undefined, NOW),
    ).toBe(1_000);
    expect(
      computeRetryAfterMs(
        headers({ 'x-ratelimit-reset': String(NOW / 1000 - 60) }),
        undefined,
        NOW,
      ),
    ).toBe(1_000);
  });
});

describe('isRateLimitResponse', () => {
  it.each([
    [429, {}, '', true],
    [403, { 'x-ratelimit-remaining': '0' }, '', true],
    [403, { 'retry-after': '60' }, '', true],
    [403, {}, 'You have exceeded a secondary rate limit.', true],
    [
      403,
      { 'x-ratelimit-remaining': '12' },
      'Resource not accessible by integration',
      false,
    ],
    [401, { 'x-ratelimit-remaining': '0' }, 'Bad credentials', false],
    [200, {}, '', false],
  ])(
    'classifies %i with %j and %j as %s',
    (status, values, message, expected) => {
      expect(isRateLimitResponse(status, headers(values), message)).toBe(
        expected,
      );
    },
  );
});
