import type {
  AdapterLogger,
  AdapterObserver,
  IssueRef,
  TrackerAdapter,
} from '@issue-sync/tracker-core';

import { createGithubAdapter } from '../github-adapter';
import type { GithubAdapterOptions } from '../github-settings';
import { readFixtureValue } from './fixtures';
import type { FakeIssue } from './fake-github';

/** A token-shaped secret that tests look for in every message and log line. */
export const TEST_TOKEN = 'ghp_S3cretT0kenFor1ssueSyncTests0123456789';

/** One call of the capturing logger. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn';
  message: string;
  meta?: Record<string, unknown>;
}

type RequestEvent = Parameters<NonNullable<AdapterObserver['onRequest']>>[0];

/** An adapter under test with everything it reported. */
export interface AdapterHarness {
  adapter: TrackerAdapter;
  logs: LogLine[];
  requestEvents: RequestEvent[];
  batchSizes: number[];
}

/** Creates an adapter for `apiUrl` whose logger and observer record every call. */
export function createHarness(
  apiUrl: string,
  overrides: Partial<GithubAdapterOptions> = {},
): AdapterHarness {
  const logs: LogLine[] = [];
  const requestEvents: RequestEvent[] = [];
  const batchSizes: number[] = [];
  const logger: AdapterLogger = {
    debug: (message, meta) => logs.push({ level: 'debug', message, meta }),
    info: (message, meta) => logs.push({ level: 'info', message, meta }),
    warn: (message, meta) => logs.push({ level: 'warn', message, meta }),
  };
  const adapter = createGithubAdapter({
    token: TEST_TOKEN,
    apiUrl,
    timeoutMs: 5_000,
    batchWindowMs: 5,
    batchSize: 100,
    maxResponseBytes: 5 * 1024 * 1024,
    userAgent: 'issue-sync-tests/1.0',
    logger,
    observer: {
      onRequest: (event) => requestEvents.push(event),
      onBatch: (event) => batchSizes.push(event.size),
    },
    ...overrides,
  });

  return { adapter, logs, requestEvents, batchSizes };
}

/** Builds the reference of issue `key` in GitHub repository `project`. */
export function githubRef(project: string, key: number | string): IssueRef {
  return { source: 'GITHUB', project, key: String(key) };
}

/**
 * Builds a fake issue from the issue object at `pathInBody` of a fixture
 * body, keeping its title, state, state reason, URL and labels.
 */
export function issueFromFixture(
  fixture: string,
  pathInBody: string[],
  project: string,
  number: number,
): FakeIssue {
  const node = readFixtureValue(fixture, pathInBody) as {
    __typename?: 'Issue' | 'PullRequest';
    title: string;
    state: string;
    stateReason?: string | null;
    url: string;
    labels?: { nodes: Array<{ name: string }> };
  };

  return {
    project,
    number,
    typename: node.__typename ?? 'Issue',
    title: node.title,
    state: node.state,
    stateReason: node.stateReason ?? null,
    url: node.url,
    labels: node.labels?.nodes.map((label) => label.name) ?? [],
  };
}

/** Settles a promise into its value or its error, for tables of outcomes. */
export async function settle<T>(promise: Promise<T>): Promise<T | Error> {
  try {
    return await promise;
  } catch (error) {
    return error as Error;
  }
}
