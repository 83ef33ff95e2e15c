import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type Router } from 'express';
import type { QueueSet } from '@issue-sync/queue';
import { isWriteMethod } from './request-guards';
import type { SecretScrubber } from './secret-scrubber';

export interface BoardOptions {
  queues: QueueSet;
  /** Full path the board is served under, such as /issue-sync/queues. */
  mountPath: string;
  /** Path of the sync status page, linked from the board's menu. */
  statusPagePath: string;
  /** True without dashboard credentials: nothing can be changed. */
  readOnly: boolean;
  scrubber: SecretScrubber;
}

/**
 * Creates the Bull Board router for the sweep queue and the tracker
 * queues. Read-only mode hides the board's controls through the adapters'
 * `readOnlyMode`, and this router also responds 403 to every write request,
 * because Bull Board itself responds 200 to pause-all and resume-all on
 * read-only queues.
 */
export function createBoardRouter(options: BoardOptions): Router {
  const serverAdapter = new ExpressAdapter();
  // Bull Board writes this path into the page's <base href>, so assets
  // load under a reverse proxy's path prefix as well.
  serverAdapter.setBasePath(options.mountPath);

  createBullBoard({
    queues: options.queues.all().map(
      (queue) =>
        new BullMQAdapter(queue, {
          readOnlyMode: options.readOnly,
          allowRetries: !options.readOnly,
        }),
    ),
    serverAdapter,
    options: {
      uiConfig: {
        boardTitle: 'issue-sync',
        miscLinks: [{ text: 'Sync status', url: options.statusPagePath }],
      },
      handlerHooks: {
        // Job data holds only issue ids and the worker scrubs errors, so
        // this only matters should a secret slip into a job regardless.
        after: (_context, result) => ({
          ...result,
          body: options.scrubber.scrubDeep(result.body),
        }),
      },
    },
  });

  const router = express.Router();
  router.use((request, response, next) => {
    if (options.readOnly && isWriteMethod(request.method)) {
      response.status(403).json({
        error:
          'The job board is read-only: set DASHBOARD_USERNAME and DASHBOARD_PASSWORD and restart the dashboard to retry, clean or remove jobs',
      });
      return;
    }

    next();
  });
  router.use(serverAdapter.getRouter());

  return router;
}
