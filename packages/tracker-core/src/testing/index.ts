// Test helpers for adapter packages: a local HTTP server that replays
// recorded tracker answers, and access to the recorded bodies.
export { startFixtureServer } from './fixture-server';
export type {
  FixtureServer,
  ReceivedRequest,
  Reply,
  Route,
} from './fixture-server';
export { findFixturesDir, readFixture, readJsonFixture } from './fixtures';
