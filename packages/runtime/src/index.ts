export { runChecks, startHealthServer } from './health-server';
export type {
  HealthServer,
  HealthServerOptions,
  ReadinessCheck,
} from './health-server';
export { logFatalErrors, onShutdownSignal } from './shutdown';
export type { ShutdownLogger } from './shutdown';
export { configFlag, loadAppConfig } from './app-config';
export { USER_AGENT, createAdapters } from './adapters';
export { runApp } from './run-app';
export type { StoppableApp } from './run-app';
