import type { AxiosInstance, AxiosRequestConfig, AxiosResponse } from 'axios';

import type { AdapterLogger, AdapterObserver } from './adapter';
import {
  classifyHttpError,
  classifyHttpStatus,
  describeTracker,
  readHeader,
} from './http-errors';
import type { HttpErrorContext } from './http-errors';
import { TrackerError } from './tracker-error';

/** Message context plus the observer and logger of {@link sendTrackerRequest}. */
export interface TrackerRequestContext extends HttpErrorContext {
  observer?: AdapterObserver;
  logger?: AdapterLogger;
}

/**
 * Sends one request and reports it to the observer and the debug log.
 *
 * @param client - an instance from createHttpClient
 * @param request - method, url, params and body; never logged
 * @param endpoint - a fixed name for metrics and logs, such as "search/jql"
 * @param context - tracker, base URL, observer and logger
 * @returns the response, whatever its status
 * @throws TrackerError when no complete response arrived (network, timeout,
 *   oversize body)
 */
export async function sendTrackerRequest(
  client: AxiosInstance,
  request: AxiosRequestConfig,
  endpoint: string,
  context: TrackerRequestContext,
): Promise<AxiosResponse<string>> {
  const startedAt = performance.now();

  try {
    const response = await client.request<string>(request);
    const durationMs = Math.round(performance.now() - startedAt);
    const isSuccess = response.status >= 200 && response.status < 300;
    const errorKind = isSuccess
      ? undefined
      : classifyHttpStatus(response, context).kind;

    report(context, {
      endpoint,
      durationMs,
      httpStatus: response.status,
      errorKind,
    });

    return response;
  } catch (error: unknown) {
    const durationMs = Math.round(performance.now() - startedAt);
    const trackerError = classifyHttpError(error, context);

    report(context, { endpoint, durationMs, errorKind: trackerError.kind });

    throw trackerError;
  }
}

/**
 * Parses a response body as JSON.
 *
 * @param response - a response from sendTrackerRequest
 * @param context - the tracker and base URL that messages name
 * @param what - what the body should be, such as "the issue search result"
 * @returns the parsed value, not yet checked for shape
 * @throws TrackerError of kind invalid_response for a body that is not JSON
 */
export function parseJsonBody(
  response: AxiosResponse<string>,
  context: HttpErrorContext,
  what: string,
): unknown {
  const text = typeof response.data === 'string' ? response.data : '';

  try {
    return JSON.parse(text) as unknown;
  } catch {
    const contentType = readHeader(response.headers, 'content-type') ?? 'none';
    throw new TrackerError(
      'invalid_response',
      context.tracker,
      `${describeTracker(context)} sent ${what} that is not valid JSON ` +
        `(HTTP ${response.status}, content type ${contentType.slice(0, 60)}, ` +
        `${text.length} characters)`,
      { httpStatus: response.status },
    );
  }
}

function report(
  context: TrackerRequestContext,
  event: {
    endpoint: string;
    durationMs: number;
    httpStatus?: number;
    errorKind?: string;
  },
): void {
  const fields = { tracker: context.tracker, ...event };

  // An observer or logger that throws must not turn a good tracker response
  // into a failed sync, so their errors are intentionally dropped here.
  try {
    context.observer?.onRequest?.(fields);
  } catch {
    // See above.
  }

  try {
    context.logger?.debug('tracker request finished', fields);
  } catch {
    // See above.
  }
}
