import { decideFailure, syncJobOptions } from './retry-policy';

describe('decideFailure', () => {
  it.each([
    ['network', 0, { action: 'retry' }],
    ['network', 4, { action: 'fail' }],
    ['unavailable', 3, { action: 'retry' }],
    ['unauthorized', 0, { action: 'retry' }],
    ['unauthorized', 4, { action: 'fail' }],
    ['forbidden', 2, { action: 'retry' }],
    ['not_found', 4, { action: 'fail' }],
    ['invalid_response', 1, { action: 'retry' }],
    ['invalid_response', 2, { action: 'fail' }],
    ['not_configured', 0, { action: 'fail' }],
    ['invalid_reference', 0, { action: 'fail' }],
  ] as const)('maps %s after %i runs', (kind, attemptsMade, expected) => {
    expect(decideFailure(kind, attemptsMade, 5)).toEqual(expected);
  });

  it('waits on rate limits without spending attempts', () => {
    expect(decideFailure('rate_limited', 4, 5, 12_000)).toEqual({
      action: 'wait',
      delayMs: 12_000,
    });
    expect(decideFailure('rate_limited', 0, 5)).toEqual({
      action: 'wait',
      delayMs: 60_000,
    });
    expect(decideFailure('rate_limited', 0, 5, 0)).toEqual({
      action: 'wait',
      delayMs: 1_000,
    });
  });

  it('fails invalid responses on the last attempt when attempts are few', () => {
    expect(decideFailure('invalid_response', 0, 1)).toEqual({ action: 'fail' });
    expect(decideFailure('invalid_response', 0, 2)).toEqual({
      action: 'retry',
    });
    expect(decideFailure('invalid_response', 1, 2)).toEqual({ action: 'fail' });
  });
});

describe('syncJobOptions', () => {
  it('bounds retained jobs and backs off with jitter', () => {
    expect(
      syncJobOptions({
        attempts: 5,
        backoffMs: 30_000,
        failedKeepCount: 100,
        failedKeepAgeSec: 3600,
      }),
    ).toEqual({
      attempts: 5,
      backoff: { type: 'exponential', delay: 30_000, jitter: 0.5 },
      removeOnComplete: true,
      removeOnFail: { count: 100, age: 3600 },
    });
  });
});
