import http from 'node:http';
import https from 'node:https';

import axios from 'axios';
import type { AxiosInstance } from 'axios';

import type { IssueSource } from './issue-ref';
import { toTrackerName } from './http-errors';

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /** The tracker's API root; request paths are resolved against it. */
  baseURL: string;
  /** Named in option errors. */
  tracker: IssueSource;
  /** Connect plus response time of one request, in milliseconds. */
  timeoutMs: number;
  /** Request and response bodies larger than this many bytes fail. */
  maxResponseBytes: number;
  /** Sent as User-Agent on every request. */
  userAgent: string;
  /** Basic auth sent on every request to baseURL. */
  auth?: { username: string; password: string };
}

/** An axios instance with keep-alive sockets that `close` releases. */
export type HttpClient = AxiosInstance & {
  /** Destroys the keep-alive sockets; later requests open new ones. */
  close(): void;
};

/**
 * Creates the axios instance a tracker adapter sends its requests with.
 *
 * Every status reaches the caller as a response (none throws), bodies stay
 * unparsed strings so the adapter decides how to read them, and redirects are
 * never followed, so no redirect can carry credentials to another host.
 * A request fails when the connection plus the whole response take longer
 * than `timeoutMs`. Proxy settings from the environment are intentionally
 * ignored, because a proxy would see the Authorization header.
 *
 * @param options - base URL, limits, User-Agent and optional basic auth
 * @returns the client; call `close` when done with it
 * @throws Error when an option is invalid or baseURL contains credentials
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  validateOptions(options);

  const httpAgent = new http.Agent({ keepAlive: true });
  const httpsAgent = new https.Agent({ keepAlive: true });

  const instance = axios.create({
    baseURL: options.baseURL,
    timeout: options.timeoutMs,
    maxContentLength: options.maxResponseBytes,
    maxBodyLength: options.maxResponseBytes,
    maxRedirects: 0,
    proxy: false,
    httpAgent,
    httpsAgent,
    auth: options.auth,
    headers: {
      'User-Agent': options.userAgent,
      Accept: 'application/json',
    },
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
  });

  // axios's own timeout covers the time until the response headers arrive
  // and then the idle time between chunks. This deadline also bounds a body
  // that trickles in.
  instance.interceptors.request.use((config) => {
    const deadline = AbortSignal.timeout(options.timeoutMs);
    config.signal =
      config.signal === undefined
        ? deadline
        : AbortSignal.any([config.signal as AbortSignal, deadline]);
    return config;
  });

  const close = (): void => {
    httpAgent.destroy();
    httpsAgent.destroy();
  };

  return Object.assign(instance, { close });
}

function validateOptions(options: HttpClientOptions): void {
  const name = toTrackerName(options.tracker);

  let url: URL;
  try {
    url = new URL(options.baseURL);
  } catch {
    throw new Error(
      `Invalid ${name} base URL: expected an absolute http or https URL ` +
        `such as https://example.atlassian.net`,
    );
  }

  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(
      `Invalid ${name} base URL scheme ${url.protocol}: use http or https`,
    );
  }

  // The URL itself stays out of the message, because it contains a secret.
  if (url.username !== '' || url.password !== '') {
    throw new Error(
      `The ${name} base URL must not contain a user name or password: ` +
        `remove them and configure credentials separately`,
    );
  }

  requirePositiveInteger(name, 'timeoutMs', options.timeoutMs);
  requirePositiveInteger(name, 'maxResponseBytes', options.maxResponseBytes);

  if (options.userAgent.trim() === '') {
    throw new Error(
      `${name} HTTP client option userAgent is empty: pass a product ` +
        `token such as issue-sync/0.1.0`,
    );
  }
}

function requirePositiveInteger(
  trackerName: string,
  option: string,
  value: number,
): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new Error(
      `${trackerName} HTTP client option ${option} is ${value}: expected ` +
        `a positive whole number`,
    );
  }
}
