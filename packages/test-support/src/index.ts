export { POSTGRES_SERVER_URL, createTestDatabase } from './database';
export type { TestDatabase } from './database';
export { REDIS_URL, countKeys, deleteKeys, uniquePrefix } from './redis';
export { AppProcess, REPOSITORY_ROOT, runCli } from './app-process';
export type { AppName, CommandResult, LogLine } from './app-process';
export { PostgresProxy } from './postgres-proxy';
