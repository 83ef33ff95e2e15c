import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

import { handleControl, parseFaultsInput } from './control-route';
import { Delays } from './delays';
import { FaultRegistry } from './fault-registry';
import {
  applyBodyFault,
  describeFault,
  faultStatusReply,
} from './fault-replies';
import { GitHubRoute } from './github/github-route';
import {
  BodyTooLargeError,
  jsonReply,
  readBody,
  resetConnection,
  textReply,
  writeReply,
  type Reply,
} from './http-reply';
import { IssueStore, toIssueId } from './issue-store';
import { JiraRoute } from './jira/jira-route';
import { LaunchpadRoute } from './launchpad/launchpad-route';
import { parseSimIssues } from './parse-issues';
import { WindowBudget } from './rate-budgets';
import { RequestStats } from './request-stats';
import type { RouteRequest, RouteResult, TrackerRoute } from './route';
import type { Simulator, SimulatorOptions } from './simulator-options';
import type {
  RequestLogEntry,
  SimFault,
  SimFaultsInput,
  SimIssue,
  SimSource,
  SimStats,
} from './types';

const MAX_REQUEST_BYTES = 5 * 1024 * 1024;
const TRACKER_PREFIXES: Array<[SimSource, string]> = [
  ['github', '/github'],
  ['jira', '/jira'],
  ['launchpad', '/launchpad/devel'],
];
const HOST_HEADER = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;

function toQueryRecord(
  query: URLSearchParams,
): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    record[key] = values.length === 1 ? values[0]! : values;
  }

  return record;
}

/** The simulator behind startSimulator: routing, faults, latency and stats. */
export class RunningSimulator implements Simulator {
  readonly githubApiUrl: string;
  readonly jiraBaseUrl: string;
  readonly launchpadApiUrl: string;
  private readonly store = new IssueStore();
  private readonly faults = new FaultRegistry();
  private readonly requests: RequestStats;
  private readonly delays = new Delays();
  private readonly githubBudget: WindowBudget;
  private readonly jiraBudget: WindowBudget | undefined;
  private readonly routes: Record<SimSource, TrackerRoute>;
  private closing = false;
  private readonly logsRequests: boolean;

  constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: SimulatorOptions,
  ) {
    this.logsRequests =
      options.logger !== undefined &&
      (options.logger.isDebugEnabled?.() ?? true);
    this.githubApiUrl = `${url}/github`;
    this.jiraBaseUrl = `${url}/jira`;
    this.launchpadApiUrl = `${url}/launchpad/devel`;
    this.requests = new RequestStats(options.requestLogSize ?? 1000);
    this.githubBudget = new WindowBudget(
      options.githubPointsPerHour ?? 5000,
      3_600_000,
    );
    this.jiraBudget =
      options.jiraRequestsPerSecond === undefined
        ? undefined
        : new WindowBudget(options.jiraRequestsPerSecond, 1000);
    this.routes = {
      github: new GitHubRoute({
        store: this.store,
        token: options.githubToken,
        scopes: options.githubScopes ?? 'repo',
        viewerLogin: options.githubLogin ?? 'tracker-sim',
        budget: this.githubBudget,
      }),
      jira: new JiraRoute({
        store: this.store,
        user: options.jiraUser,
        budget: this.jiraBudget,
      }),
      launchpad: new LaunchpadRoute(this.store),
    };
  }

  stats(): SimStats {
    return this.requests.snapshot();
  }

  requestLog(): RequestLogEntry[] {
    return this.requests.entries();
  }

  upsertIssues(issues: SimIssue[]): void {
    this.storeIssues(parseSimIssues(issues, 'issues'));
  }

  /** Stores issues that are already validated or generated. */
  storeIssues(valid: readonly SimIssue[]): void {
    this.store.upsert(valid);
    for (const issue of valid) {
      // Most issues have no fault and none to remove; skip building their id.
      if (issue.fault !== undefined || this.faults.hasIssueFaults()) {
        this.faults.setIssueFault(
          toIssueId(issue.source, issue.project, issue.key),
          issue.fault ?? null,
        );
      }
    }
  }

  setFaults(input: SimFaultsInput): void {
    const valid = parseFaultsInput(input);
    for (const entry of valid.faults ?? []) {
      this.faults.setIssueFault(
        toIssueId(entry.source, entry.project, entry.key),
        entry.fault,
      );
    }
    if (valid.tracker !== undefined) {
      this.faults.setTrackerFault(valid.tracker, valid.fault ?? null);
    }
  }

  clearFaults(): void {
    this.faults.clear();
  }

  reset(): void {
    this.requests.reset();
    this.githubBudget.reset();
    this.jiraBudget?.reset();
  }

  issueCount(): number {
    return this.store.count();
  }

  close(): Promise<void> {
    this.closing = true;
    this.delays.cancelAll();

    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }

  /** Entry point of every HTTP request. */
  async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = performance.now();
    const url = new URL(req.url ?? '/', 'http://tracker-sim.invalid');
    const method = req.method ?? 'GET';

    let body: string;
    try {
      body = await readBody(req, MAX_REQUEST_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        writeReply(res, textReply(413, error.message));

        return;
      }
      throw error;
    }

    if (url.pathname === '/_sim' || url.pathname.startsWith('/_sim/')) {
      writeReply(res, handleControl(method, url.pathname, body, this));

      return;
    }
    const prefix = TRACKER_PREFIXES.find(
      ([, path]) =>
        url.pathname === path || url.pathname.startsWith(`${path}/`),
    );
    if (prefix === undefined) {
      this.requests.countUnmatched();
      writeReply(
        res,
        textReply(
          404,
          `no tracker at ${url.pathname}; use /github, /jira or /launchpad/devel`,
        ),
      );

      return;
    }

    const [tracker, path] = prefix;
    const request: RouteRequest = {
      method,
      path: url.pathname.slice(path.length) || '/',
      query: url.searchParams,
      headers: req.headers,
      body,
      origin: this.originOf(req),
      now: Date.now(),
    };
    await this.serveTracker(tracker, path, request, res, startedAt);
  }

  private async serveTracker(
    tracker: SimSource,
    prefix: string,
    request: RouteRequest,
    res: ServerResponse,
    startedAt: number,
  ): Promise<void> {
    const route = this.routes[tracker];
    const endpoint = route.endpointOf(request.method, request.path);
    this.requests.countRequest(tracker, endpoint);

    let result: RouteResult;
    try {
      result = route.handle(request);
    } catch (error) {
      this.options.logger?.error('tracker request failed in the simulator', {
        tracker,
        endpoint,
        err: error,
      });
      result = {
        reply: jsonReply(500, {
          message: 'tracker-sim failed to build a response; see its log',
        }),
        touched: [],
      };
    }

    const fault = this.faults.take(tracker, result.touched);
    const delayMs =
      (this.options.latencyMs ?? 0) +
      Math.random() * (this.options.jitterMs ?? 0) +
      (fault?.delayMs ?? 0);
    if (delayMs > 0) {
      await this.delays.wait(delayMs);
    }

    let status: number | null = null;
    if (this.closing || res.destroyed) {
      res.destroy();
    } else if (fault?.reset) {
      resetConnection(res);
    } else {
      const reply =
        fault === undefined
          ? result.reply
          : this.applyFault(tracker, result.reply, fault, request.now);
      writeReply(res, reply);
      status = reply.status;
    }

    const durationMs = Math.round((performance.now() - startedAt) * 100) / 100;
    this.requests.record(
      {
        time: new Date(request.now).toISOString(),
        tracker,
        method: request.method,
        path: `${prefix}${request.path}`,
        query: toQueryRecord(request.query),
        ...(request.body === '' ? {} : { body: request.body.slice(0, 500) }),
        endpoint,
        status,
        durationMs,
        issues: [...new Set(result.touched)],
        ...(fault === undefined ? {} : { fault: describeFault(fault) }),
      },
      { rateLimited: result.rateLimited === true },
    );
    if (!this.logsRequests) {
      return;
    }
    this.options.logger?.debug('tracker request served', {
      tracker,
      endpoint,
      status,
      durationMs,
      issues: result.touched.length,
      ...(fault === undefined ? {} : { fault: describeFault(fault) }),
    });
  }

  private applyFault(
    tracker: SimSource,
    reply: Reply,
    fault: SimFault,
    nowMs: number,
  ): Reply {
    let faulted = reply;
    if (fault.status !== undefined) {
      faulted = faultStatusReply(
        tracker,
        fault.status,
        fault.retryAfterSec,
        nowMs,
      );
    }
    if (fault.body !== undefined) {
      faulted = applyBodyFault(faulted, fault.body, tracker);
    }

    return faulted;
  }

  /** Uses the Host the client sent for links, falling back to the listen address. */
  private originOf(req: IncomingMessage): string {
    const host = req.headers.host;

    return host !== undefined && HOST_HEADER.test(host)
      ? `http://${host}`
      : this.url;
  }
}
