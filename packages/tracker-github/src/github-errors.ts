import {
  TrackerError,
  type TrackerErrorKind,
  type TrackerErrorOptions,
} from '@issue-sync/tracker-core';

/**
 * Builds the adapter's TrackerErrors. Every message passes through here, so
 * the token is cut out even if a server echoed it back in its own text.
 */
export class GithubErrorFactory {
  constructor(
    readonly apiUrl: string,
    private readonly token: string | undefined,
  ) {}

  create(
    kind: TrackerErrorKind,
    message: string,
    options: TrackerErrorOptions = {},
  ): TrackerError {
    return new TrackerError(kind, 'GITHUB', this.redact(message), options);
  }

  redact(text: string): string {
    if (this.token === undefined || this.token === '') {
      return text;
    }

    return text.split(this.token).join('[REDACTED]');
  }

  notConfigured(): TrackerError {
    return this.create(
      'not_configured',
      'GITHUB_TOKEN is not set: create a token at https://github.com/settings/tokens (no scopes for public repositories, repo for private ones) and set GITHUB_TOKEN',
    );
  }

  unauthorized(httpStatus = 401): TrackerError {
    return this.create(
      'unauthorized',
      `401 Unauthorized from GitHub at ${this.apiUrl}: check GITHUB_TOKEN (it may be expired or revoked)`,
      { httpStatus },
    );
  }
}

/** Shortens text a server sent so it fits in one line of an error message. */
export function toMessageExcerpt(text: string, maxLength = 300): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();

  return oneLine.length > maxLength
    ? `${oneLine.slice(0, maxLength)}...`
    : oneLine;
}
