import type { RequestHandler } from 'express';
import { HttpError } from './http-error';
import { parseFailingCursor, type FailingCursor } from './failing-issues';
import { readQuery } from './query-params';
import type { SecretScrubber } from './secret-scrubber';
import { readStatusPageData, type StatusPageSources } from './status-page-data';
import { renderStatusPage } from './status-page-view';

/**
 * Policy of the server-rendered pages: no scripts at all, inline styles
 * only, and no framing.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function readCursor(query: Record<string, unknown>): FailingCursor | undefined {
  const { after } = readQuery(query, ['after']);
  if (after === undefined) {
    return undefined;
  }

  const cursor = parseFailingCursor(after);
  if (cursor === undefined) {
    throw new HttpError(
      400,
      `Invalid after ${JSON.stringify(after)}: follow the "Older failures" link, which sets it`,
    );
  }

  return cursor;
}

/** Creates the handler of the sync status page. */
export function createStatusPage(
  sources: StatusPageSources,
  scrubber: SecretScrubber,
): RequestHandler {
  return async (request, response) => {
    const after = readCursor(request.query as Record<string, unknown>);
    // Scrubbing the data before rendering also covers secrets that contain
    // characters the HTML escaping would change.
    const data = scrubber.scrubDeep(await readStatusPageData(sources, after));

    response
      .status(200)
      .set('Content-Security-Policy', CONTENT_SECURITY_POLICY)
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(renderStatusPage(data));
  };
}
