import { runApp } from '@issue-sync/runtime';
import { startSchedulerApp } from './scheduler-app';

void runApp('scheduler', (loaded, logger) =>
  startSchedulerApp(loaded.config, logger),
);
