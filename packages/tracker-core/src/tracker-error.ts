import type { IssueSource } from './issue-ref';

/** Why a tracker call failed. The worker maps each kind to a retry policy. */
export const TRACKER_ERROR_KINDS = [
  'network',
  'unavailable',
  'rate_limited',
  'unauthorized',
  'forbidden',
  'not_found',
  'invalid_response',
  'not_configured',
  'invalid_reference',
] as const;

export type TrackerErrorKind = (typeof TRACKER_ERROR_KINDS)[number];

export interface TrackerErrorOptions extends ErrorOptions {
  /** HTTP status of the response, when there was one. */
  httpStatus?: number;
  /** How long the tracker asked us to wait (Retry-After or a reset time). */
  retryAfterMs?: number;
}

/**
 * A failed tracker call, classified. The message is meant for an operator:
 * it names the tracker, where it was reached and what to check, and never
 * contains a credential.
 */
export class TrackerError extends Error {
  override readonly name = 'TrackerError';
  readonly httpStatus?: number;
  readonly retryAfterMs?: number;

  constructor(
    readonly kind: TrackerErrorKind,
    readonly tracker: IssueSource,
    message: string,
    options: TrackerErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.httpStatus = options.httpStatus;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * Tells whether a value is a TrackerError. Matches by name too, so an error
 * from a second copy of this package still counts.
 */
export function isTrackerError(value: unknown): value is TrackerError {
  if (value instanceof TrackerError) {
    return true;
  }

  return (
    value instanceof Error &&
    value.name === 'TrackerError' &&
    typeof (value as { kind?: unknown }).kind === 'string'
  );
}
