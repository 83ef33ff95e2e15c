export { createDashboardApp } from './dashboard-app';
export type { DashboardDeps, DashboardLogger } from './dashboard-app';
export { startDashboard } from './dashboard-server';
export type { DashboardServer } from './dashboard-server';
