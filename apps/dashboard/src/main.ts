import { runApp } from '@issue-sync/runtime';
import { startDashboard } from './dashboard-server';

void runApp('dashboard', (loaded, logger) =>
  startDashboard(loaded.config, logger),
);
