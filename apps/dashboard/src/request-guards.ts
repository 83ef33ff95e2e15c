import type { RequestHandler } from 'express';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Tells whether a request method can change state. */
export function isWriteMethod(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/**
 * Rejects writes that a browser marks as sent from another site. Browsers
 * resend basic-auth credentials on their own, so without this check a page
 * elsewhere could post to the dashboard in a signed-in operator's name.
 * Clients that send no Sec-Fetch-Site header, such as curl, pass.
 */
export const rejectCrossSiteWrites: RequestHandler = (
  request,
  response,
  next,
) => {
  if (
    isWriteMethod(request.method) &&
    request.headers['sec-fetch-site'] === 'cross-site'
  ) {
    response.status(403).json({
      error:
        'Cross-site request rejected: change the dashboard from its own pages or from a client such as curl',
    });
    return;
  }

  next();
};

/**
 * Creates middleware that responds 403 to every write while the dashboard
 * runs without credentials, and lets writes through otherwise.
 */
export function requireWriteAccess(authEnabled: boolean): RequestHandler {
  return (request, response, next) => {
    if (authEnabled || !isWriteMethod(request.method)) {
      next();
      return;
    }

    response.status(403).json({
      error:
        'The dashboard is read-only: set DASHBOARD_USERNAME and DASHBOARD_PASSWORD and restart it to allow changes',
    });
  };
}
