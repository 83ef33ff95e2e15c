import { runApp } from '@issue-sync/runtime';
import { startWorkerApp } from './worker-app';

// Running jobs get SHUTDOWN_GRACE_MS; closing connections gets 5 s more.
void runApp(
  'worker',
  startWorkerApp,
  (loaded) => loaded.config.worker.shutdownGraceMs + 5_000,
);
