import type {
  RequestLogEntry,
  SimFaultsInput,
  SimIssue,
  SimLogger,
  SimStats,
} from './types';
import { SimInputError } from './input-checks';

/** Options of startSimulator. */
export interface SimulatorOptions {
  /** TCP port; 0 picks a free one. @defaultValue 0 */
  port?: number;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** Issues to serve; they win over the data file and generated issues. */
  issues?: SimIssue[];
  /** Path of a JSON data file `{"issues": [...]}`. */
  dataFile?: string;
  /** Added before every tracker response, in milliseconds. @defaultValue 0 */
  latencyMs?: number;
  /** Random extra latency from 0 to this many milliseconds. @defaultValue 0 */
  jitterMs?: number;
  /** GitHub token every GraphQL request must carry; unset accepts any. */
  githubToken?: string;
  /** `x-oauth-scopes` on GitHub responses. @defaultValue 'repo' */
  githubScopes?: string;
  /** Login that `viewer { login }` returns. @defaultValue 'tracker-sim' */
  githubLogin?: string;
  /** Jira basic-auth pair every request must carry; unset accepts any. */
  jiraUser?: { username: string; token: string };
  /** GitHub GraphQL points per hour. @defaultValue 5000 */
  githubPointsPerHour?: number;
  /** Jira requests per second before 429; unset for no limit. */
  jiraRequestsPerSecond?: number;
  /** Deterministic issues to generate besides the given ones. */
  generate?: { count: number; seed: number };
  /** Requests the request log keeps. @defaultValue 1000 */
  requestLogSize?: number;
  /** Receives one debug line per request and the errors of failed requests. */
  logger?: SimLogger;
}

/** A running simulator. */
export interface Simulator {
  /** Base URL, such as `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Value for GITHUB_API_URL: `${url}/github`. */
  readonly githubApiUrl: string;
  /** Value for JIRA_BASE_URL: `${url}/jira`. */
  readonly jiraBaseUrl: string;
  /** Value for LAUNCHPAD_API_URL: `${url}/launchpad/devel`. */
  readonly launchpadApiUrl: string;
  stats(): SimStats;
  /** The latest requests, oldest first. */
  requestLog(): RequestLogEntry[];
  /** Inserts or replaces issues; each issue's `fault` replaces its fault. */
  upsertIssues(issues: SimIssue[]): void;
  /** Sets issue faults and, with `tracker`, the fault of every request of it. */
  setFaults(input: SimFaultsInput): void;
  clearFaults(): void;
  /** Clears counters, the request log and the rate-limit budgets. */
  reset(): void;
  issueCount(): number;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

function checkCount(
  name: string,
  value: number | undefined,
  min: number,
): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min)) {
    throw new SimInputError(
      `${name} is ${value}; expected an integer of at least ${min}`,
    );
  }
}

/** Rejects options out of range with a SimInputError naming the option. */
export function checkOptions(options: SimulatorOptions): void {
  checkCount('port', options.port, 0);
  if (options.port !== undefined && options.port > 65535) {
    throw new SimInputError(`port is ${options.port}; expected 0 to 65535`);
  }

  checkCount('latencyMs', options.latencyMs, 0);
  checkCount('jitterMs', options.jitterMs, 0);
  checkCount('githubPointsPerHour', options.githubPointsPerHour, 1);
  checkCount('jiraRequestsPerSecond', options.jiraRequestsPerSecond, 1);
  checkCount('requestLogSize', options.requestLogSize, 0);
  checkCount('generate.count', options.generate?.count, 0);

  if (
    options.generate !== undefined &&
    !Number.isInteger(options.generate.seed)
  ) {
    throw new SimInputError(
      `generate.seed is ${options.generate.seed}; expected an integer`,
    );
  }

  if (options.githubToken !== undefined && options.githubToken === '') {
    throw new SimInputError(
      'githubToken is empty; leave it unset to accept any token',
    );
  }

  const jiraUser = options.jiraUser;
  if (
    jiraUser !== undefined &&
    (jiraUser.username === '' || jiraUser.token === '')
  ) {
    throw new SimInputError(
      'jiraUser needs a non-empty username and token; leave it unset to accept any',
    );
  }
}
