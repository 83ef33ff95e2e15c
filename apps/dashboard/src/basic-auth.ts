import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

/** A user name and password, as configured or as sent by a client. */
export interface BasicCredentials {
  username: string;
  password: string;
}

/** Realm named in the `WWW-Authenticate` challenge. */
export const AUTH_REALM = 'issue-sync';

/** Logger of rejected sign-ins. */
export interface AuthLogger {
  warn(message: string, meta?: Record<string, unknown>): unknown;
}

/** At most one rejected sign-in is logged per this many milliseconds. */
const REJECTION_LOG_INTERVAL_MS = 60_000;

/**
 * Reads the credentials of an `Authorization: Basic` header (RFC 7617),
 * decoded as UTF-8. Returns undefined when the header is missing, uses
 * another scheme or is malformed.
 */
export function readBasicCredentials(
  header: string | undefined,
): BasicCredentials | undefined {
  const match = /^basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header ?? '');
  if (match === null) {
    return undefined;
  }

  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) {
    return undefined;
  }

  return {
    username: decoded.slice(0, colon),
    password: decoded.slice(colon + 1),
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Creates a check of given credentials against the configured ones. It
 * compares SHA-256 digests with timingSafeEqual, so neither the content nor
 * the length of the expected values shows in the response time, and it
 * always compares both fields.
 */
export function createCredentialCheck(
  expected: BasicCredentials,
): (given: BasicCredentials | undefined) => boolean {
  const username = digest(expected.username);
  const password = digest(expected.password);

  return (given) => {
    const usernameMatches = timingSafeEqual(
      digest(given?.username ?? ''),
      username,
    );
    const passwordMatches = timingSafeEqual(
      digest(given?.password ?? ''),
      password,
    );

    return given !== undefined && usernameMatches && passwordMatches;
  };
}

/**
 * Creates middleware that responds 401 with a Basic challenge unless the
 * request carries the configured credentials. Wrong credentials are logged
 * (never the values sent), at most once a minute with a count of the rest.
 */
export function createBasicAuth(
  expected: BasicCredentials,
  logger: AuthLogger,
): RequestHandler {
  const check = createCredentialCheck(expected);
  let lastLoggedAt = 0;
  let suppressed = 0;

  return (request, response, next) => {
    const header = request.headers.authorization;
    if (check(readBasicCredentials(header))) {
      next();
      return;
    }

    // A request without credentials is how every browser session starts,
    // so only wrong credentials are worth a log line.
    if (header !== undefined) {
      const now = Date.now();
      if (now - lastLoggedAt >= REJECTION_LOG_INTERVAL_MS) {
        logger.warn('dashboard sign-in rejected: wrong user name or password', {
          method: request.method,
          path: request.path,
          remoteAddress: request.socket.remoteAddress,
          suppressed,
        });
        lastLoggedAt = now;
        suppressed = 0;
      } else {
        suppressed += 1;
      }
    }

    response
      .status(401)
      .set('WWW-Authenticate', `Basic realm="${AUTH_REALM}"`)
      .json({
        error:
          'Authentication required: sign in with the user name and password set in DASHBOARD_USERNAME and DASHBOARD_PASSWORD',
      });
  };
}
