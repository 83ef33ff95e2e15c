import type {
  AdapterLogger,
  AdapterObserver,
  IssueSnapshot,
  TrackerError,
} from '@issue-sync/tracker-core';
import { isTrackerError } from '@issue-sync/tracker-core';

import { readBatchMembers, type MemberOutcome } from './batch-reader';
import { mapWithConcurrency } from './concurrency';
import type { GithubErrorFactory } from './github-errors';
import type { GraphqlRequester } from './graphql-requester';
import { readLabelPage, toSnapshot, type IssueNode } from './issue-node';
import { buildIssueBatchQuery, buildLabelPageQuery } from './issue-query';
import type { IssueTarget } from './issue-target';
import { isObject, readStringField } from './json-value';
import type { TransferResolver } from './transfer-resolver';

type Outcome = IssueSnapshot | TrackerError;

interface FetchMode {
  /** Ask for the issues one by one when the query fails as a whole. */
  split: boolean;
  /** Ask REST whether an issue GraphQL did not find was transferred. */
  followTransfers: boolean;
}

// Requests in flight at once for one batch's follow-ups. GitHub counts
// concurrent requests towards its secondary rate limit, so keep this low.
const FOLLOW_UP_CONCURRENCY = 4;
// Failed single requests, with none succeeding, after which a fallback
// stops: by then the cause is the network or GitHub, not one issue.
const FALLBACK_FAILURE_LIMIT = 3;
// A cursor loop in a broken server must end; 50 pages are 5,000 labels.
const MAX_LABEL_PAGES = 50;
// Kinds that would fail every further request the same way.
const SHARED_KINDS = new Set([
  'unauthorized',
  'rate_limited',
  'not_configured',
]);

/**
 * Fetches batches of issues: one GraphQL query per batch, the remaining
 * label pages of issues with more than one page, REST transfer checks for
 * issues GraphQL did not find, and a one-by-one fallback when the query
 * fails as a whole.
 */
export class IssueFetcher {
  constructor(
    private readonly requester: GraphqlRequester,
    private readonly transfers: TransferResolver,
    private readonly errors: GithubErrorFactory,
    private readonly observer: AdapterObserver | undefined,
    private readonly logger: AdapterLogger | undefined,
  ) {}

  /** Fetches a batch. Never rejects: each slot contains a snapshot or an error. */
  async loadBatch(
    targets: readonly IssueTarget[],
  ): Promise<Array<IssueSnapshot | Error>> {
    this.observer?.onBatch?.({ tracker: 'GITHUB', size: targets.length });

    const slots = new Map<string, number>();
    const unique: IssueTarget[] = [];
    for (const target of targets) {
      if (!slots.has(target.issueKey)) {
        slots.set(target.issueKey, unique.length);
        unique.push(target);
      }
    }

    let outcomes: Outcome[];
    try {
      outcomes = await this.fetchTargets(unique, {
        split: unique.length > 1,
        followTransfers: true,
      });
    } catch (error) {
      const failure = this.unexpected(error);
      outcomes = unique.map(() => failure);
    }

    return targets.map((target) => {
      const outcome = outcomes[slots.get(target.issueKey) as number] as Outcome;
      return isTrackerError(outcome)
        ? outcome
        : { ...outcome, labels: [...outcome.labels] };
    });
  }

  private async fetchTargets(
    targets: readonly IssueTarget[],
    mode: FetchMode,
  ): Promise<Outcome[]> {
    const query = buildIssueBatchQuery(targets);
    const startedAt = performance.now();
    const result = await this.requester.request(
      query.document,
      query.variables,
    );
    this.logger?.debug('github issues query answered', {
      tracker: 'GITHUB',
      size: targets.length,
      issueKey: targets.length === 1 ? targets[0]?.issueKey : undefined,
      durationMs: Math.round(performance.now() - startedAt),
      errorKind: result.ok ? undefined : result.error.kind,
    });

    if (!result.ok) {
      if (mode.split && result.splittable) {
        return this.fetchOneByOne(targets, result.error, mode);
      }
      return targets.map(() => result.error);
    }

    const members = readBatchMembers(query, targets, result, this.errors);

    return mapWithConcurrency(
      members,
      FOLLOW_UP_CONCURRENCY,
      (outcome, index) =>
        this.complete(targets[index] as IssueTarget, outcome, mode),
    );
  }

  // One bad issue (a huge or broken response, a query that GitHub times out
  // on) must not fail the others, so each issue is requested alone. A failure that
  // would repeat for every issue stops the rest from being sent.
  private async fetchOneByOne(
    targets: readonly IssueTarget[],
    batchError: TrackerError,
    mode: FetchMode,
  ): Promise<Outcome[]> {
    this.logger?.debug(
      'github batch failed as a whole, fetching its issues one by one',
      {
        tracker: 'GITHUB',
        size: targets.length,
        err: batchError,
      },
    );

    let stopError: TrackerError | undefined;
    let successes = 0;
    let transientFailures = 0;

    return mapWithConcurrency(
      targets,
      FOLLOW_UP_CONCURRENCY,
      async (target) => {
        if (stopError !== undefined) {
          return stopError;
        }

        const [outcome] = await this.fetchTargets([target], {
          ...mode,
          split: false,
        });
        if (!isTrackerError(outcome)) {
          successes += 1;
          return outcome as IssueSnapshot;
        }
        if (SHARED_KINDS.has(outcome.kind)) {
          stopError ??= outcome;
        } else if (
          outcome.kind === 'network' ||
          outcome.kind === 'unavailable'
        ) {
          transientFailures += 1;
          if (successes === 0 && transientFailures >= FALLBACK_FAILURE_LIMIT) {
            stopError ??= outcome;
          }
        }

        return outcome;
      },
    );
  }

  private async complete(
    target: IssueTarget,
    outcome: MemberOutcome,
    mode: FetchMode,
  ): Promise<Outcome> {
    if (outcome.type === 'failed') {
      return outcome.error;
    }
    if (outcome.type === 'issue-missing') {
      return mode.followTransfers
        ? this.resolveMissing(target)
        : this.errors.create(
            'not_found',
            `GitHub issue ${target.issueKey} not found at ${this.errors.apiUrl}: check the issue URL and that GITHUB_TOKEN can read the repository`,
            { httpStatus: 200 },
          );
    }

    const labels = await this.readAllLabels(target, outcome.node);

    return isTrackerError(labels) ? labels : toSnapshot(outcome.node, labels);
  }

  private async readAllLabels(
    target: IssueTarget,
    node: IssueNode,
  ): Promise<string[] | TrackerError> {
    const labels = [...node.firstLabels.labels];
    const seenCursors = new Set<string>();
    let cursor = node.firstLabels.nextCursor;

    while (cursor !== null) {
      if (seenCursors.has(cursor) || seenCursors.size + 1 >= MAX_LABEL_PAGES) {
        return this.errors.create(
          'invalid_response',
          `GitHub at ${this.errors.apiUrl} sent label pages for ${target.issueKey} without end (a cursor repeated, or more than ${MAX_LABEL_PAGES} pages)`,
        );
      }
      seenCursors.add(cursor);

      const query = buildLabelPageQuery(target, cursor);
      const result = await this.requester.request(
        query.document,
        query.variables,
      );
      if (!result.ok) {
        return result.error;
      }
      const [page] = readBatchMembers(
        query,
        [target],
        result,
        this.errors,
        (value) =>
          isObject(value)
            ? readLabelPage(value.labels)
            : 'the issue is not an object',
      );
      if (page?.type !== 'found') {
        return page?.type === 'failed'
          ? page.error
          : this.errors.create(
              'not_found',
              `GitHub issue ${target.issueKey} disappeared at ${this.errors.apiUrl} while its labels were read`,
              { httpStatus: result.httpStatus },
            );
      }

      labels.push(...page.node.labels);
      cursor = page.node.nextCursor;
    }

    return labels;
  }

  private async resolveMissing(target: IssueTarget): Promise<Outcome> {
    this.logger?.debug(
      'github issue not found by GraphQL, asking REST about a transfer',
      {
        tracker: 'GITHUB',
        issueKey: target.issueKey,
      },
    );

    const lookup = await this.transfers.lookup(target);
    if (lookup.type === 'failed') {
      return lookup.error;
    }
    if (lookup.type === 'present') {
      return lookup.snapshot;
    }

    const moved = lookup.to;
    this.logger?.debug('github issue was transferred', {
      tracker: 'GITHUB',
      issueKey: target.issueKey,
      movedTo: moved.issueKey,
    });
    const [outcome] = await this.fetchTargets([moved], {
      split: false,
      followTransfers: false,
    });
    if (outcome === undefined || isTrackerError(outcome)) {
      return outcome ?? this.unexpected(undefined);
    }

    return {
      ...outcome,
      movedTo: {
        source: 'GITHUB',
        project: moved.project,
        key: String(moved.number),
      },
    };
  }

  private unexpected(error: unknown): TrackerError {
    const name = readStringField(error, 'name') ?? typeof error;

    return this.errors.create(
      'invalid_response',
      `GitHub adapter failed unexpectedly (${name}) while reading a batch from ${this.errors.apiUrl}: this is a bug in issue-sync; report it with this message`,
    );
  }
}
