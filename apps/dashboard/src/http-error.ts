import type { ErrorRequestHandler, RequestHandler } from 'express';

/** An error whose message is safe to send to the client with `status`. */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Logs server errors; the logger redacts secrets. */
export interface ErrorLogger {
  error(message: string, meta?: Record<string, unknown>): unknown;
}

interface BodyParserError {
  type?: unknown;
  status?: unknown;
  limit?: unknown;
}

function describeBodyParserError(
  error: BodyParserError,
): HttpError | undefined {
  switch (error.type) {
    case 'entity.too.large':
      return new HttpError(
        413,
        `Request body is larger than ${String(error.limit)} bytes: send only a small JSON object such as {"url": "https://github.com/owner/repo/issues/1"}`,
      );
    case 'entity.parse.failed':
      return new HttpError(
        400,
        'Request body is not valid JSON: send a JSON object such as {"url": "https://github.com/owner/repo/issues/1"}',
      );
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new HttpError(
        415,
        'Request body uses an unsupported charset or content encoding: send UTF-8 JSON without compression',
      );
    default:
      return undefined;
  }
}

/** Responds 404 as JSON to every request that no route matched. */
export const notFound: RequestHandler = (request, response) => {
  response
    .status(404)
    .json({ error: `No route for ${request.method} ${request.path}` });
};

/**
 * Creates the last error handler. HttpError and body-parser errors go to
 * the client as they are. Anything else is logged and gets a 500 response
 * without detail, because internal messages may name hosts or queries.
 */
export function createErrorHandler(logger: ErrorLogger): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }

    const known =
      error instanceof HttpError
        ? error
        : describeBodyParserError(error as BodyParserError);
    if (known !== undefined) {
      response.status(known.status).json({ error: known.message });
      return;
    }

    logger.error('dashboard request failed', {
      method: request.method,
      path: request.path,
      err: error,
    });
    response
      .status(500)
      .json({ error: 'Internal error: see the dashboard log for details' });
  };
}
