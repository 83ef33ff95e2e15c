import { runApp } from '@issue-sync/runtime';
import { startWorkerApp } from './worker-app';

void runApp('worker', startWorkerApp);
