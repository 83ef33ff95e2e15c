import type { GitHubRecord, GitHubRepo, IssueStore } from '../issue-store';

/** Rate-limit figures of the current request, as `rateLimit` returns them. */
export interface RateLimitFigures {
  limit: number;
  cost: number;
  remaining: number;
  resetAt: string;
  used: number;
  nodeCount: number;
}

/** Per-request state the resolvers read and write. */
export interface GitHubQueryContext {
  store: IssueStore;
  /** Ids of the issues looked up, in order; a lookup of a missing issue counts. */
  touched: string[];
  rateLimit: RateLimitFigures;
  viewerLogin: string;
}

/**
 * A resolver failure that GitHub reports with a `type`, such as NOT_FOUND.
 * The field resolves to null and the error keeps its path.
 */
export class GitHubQueryError extends Error {
  override readonly name = 'GitHubQueryError';

  constructor(
    readonly type: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

const MAX_PAGE_SIZE = 100;

interface LabelArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

function toNodeId(prefix: string, text: string): string {
  return `${prefix}_${Buffer.from(text).toString('base64url')}`;
}

function toCursor(position: number): string {
  return Buffer.from(`cursor:${position}`).toString('base64');
}

function fromCursor(cursor: string, connection: string): number {
  const match = /^cursor:([1-9][0-9]*)$/.exec(
    Buffer.from(cursor, 'base64').toString('utf8'),
  );
  if (match === null) {
    throw new GitHubQueryError(
      undefined,
      `\`${cursor}\` does not appear to be a valid cursor for the \`${connection}\` connection.`,
    );
  }

  return Number(match[1]);
}

function checkPageSize(
  name: 'first' | 'last',
  value: number,
  connection: string,
): void {
  if (value < 0) {
    throw new GitHubQueryError(
      undefined,
      `\`${name}\` on the \`${connection}\` connection cannot be less than zero.`,
    );
  }
  if (value > MAX_PAGE_SIZE) {
    throw new GitHubQueryError(
      'EXCESSIVE_PAGINATION',
      `Requesting ${value} records on the \`${connection}\` connection exceeds the \`${name}\` limit of ${MAX_PAGE_SIZE} records.`,
    );
  }
}

/** Pages through a label list the way GitHub's connections do. */
function labelConnection(record: GitHubRecord, args: LabelArgs): unknown {
  const connection = 'labels';
  const first = args.first ?? undefined;
  const last = args.last ?? undefined;
  if (first === undefined && last === undefined) {
    throw new GitHubQueryError(
      'MISSING_PAGINATION_BOUNDARIES',
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${connection}\` connection.`,
    );
  }
  if (first !== undefined && last !== undefined) {
    throw new GitHubQueryError(
      undefined,
      `Passing both \`first\` and \`last\` to paginate the \`${connection}\` connection is not supported.`,
    );
  }

  // Positions are 1-based; [start, end) is the window before first/last.
  let start = 1;
  let end = record.labels.length + 1;
  if (args.after) {
    start = Math.max(start, fromCursor(args.after, connection) + 1);
  }
  if (args.before) {
    end = Math.min(end, fromCursor(args.before, connection));
  }
  end = Math.max(start, end);
  if (first !== undefined) {
    checkPageSize('first', first, connection);
    end = Math.min(end, start + first);
  } else if (last !== undefined) {
    checkPageSize('last', last, connection);
    start = Math.max(start, end - last);
  }

  const edges = [];
  for (let position = start; position < end; position += 1) {
    const name = record.labels[position - 1]!;
    edges.push({
      cursor: toCursor(position),
      node: {
        id: toNodeId('LA', `${record.repoKey}:${name}`),
        name,
        color: labelColor(name),
      },
    });
  }

  return {
    nodes: edges.map((edge) => edge.node),
    edges,
    totalCount: record.labels.length,
    pageInfo: {
      hasNextPage: end <= record.labels.length,
      hasPreviousPage: start > 1,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

function labelColor(name: string): string {
  let hash = 0;
  for (const char of name) {
    hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
  }

  return (hash & 0xffffff).toString(16).padStart(6, '0');
}

class IssueNode {
  readonly __typename = 'Issue';

  constructor(
    private readonly record: GitHubRecord,
    readonly repository: RepositoryNode,
  ) {}

  get id(): string {
    return toNodeId('I', `${this.repository.databaseId}:${this.record.number}`);
  }
  get databaseId(): number {
    return this.repository.databaseId * 1000 + this.record.number;
  }
  get number(): number {
    return this.record.number;
  }
  get title(): string {
    return this.record.title;
  }
  get state(): string {
    return this.record.state;
  }
  get closed(): boolean {
    return this.record.state !== 'OPEN';
  }
  get url(): string {
    return `https://github.com/${this.record.nameWithOwner}/issues/${this.record.number}`;
  }

  stateReason(args: { enableDuplicate: boolean }): string | null {
    // Without enableDuplicate GitHub still reports a duplicate as COMPLETED,
    // the reason such issues had before DUPLICATE existed.
    if (this.record.stateReason === 'DUPLICATE' && !args.enableDuplicate) {
      return 'COMPLETED';
    }

    return this.record.stateReason;
  }

  labels(args: LabelArgs): unknown {
    return labelConnection(this.record, args);
  }
}

class PullRequestNode {
  readonly __typename = 'PullRequest';

  constructor(
    private readonly record: GitHubRecord,
    readonly repository: RepositoryNode,
  ) {}

  get id(): string {
    return toNodeId(
      'PR',
      `${this.repository.databaseId}:${this.record.number}`,
    );
  }
  get databaseId(): number {
    return this.repository.databaseId * 1000 + this.record.number;
  }
  get number(): number {
    return this.record.number;
  }
  get title(): string {
    return this.record.title;
  }
  get state(): string {
    return this.record.state;
  }
  get closed(): boolean {
    return this.record.state !== 'OPEN';
  }
  get merged(): boolean {
    return this.record.state === 'MERGED';
  }
  get url(): string {
    return `https://github.com/${this.record.nameWithOwner}/pull/${this.record.number}`;
  }

  labels(args: LabelArgs): unknown {
    return labelConnection(this.record, args);
  }
}

class RepositoryNode {
  constructor(private readonly repo: GitHubRepo) {}

  get id(): string {
    return toNodeId('R', String(this.repo.databaseId));
  }
  get databaseId(): number {
    return this.repo.databaseId;
  }
  get name(): string {
    return this.repo.nameWithOwner.split('/')[1]!;
  }
  get nameWithOwner(): string {
    return this.repo.nameWithOwner;
  }
  get owner(): { login: string } {
    return { login: this.repo.nameWithOwner.split('/')[0]! };
  }
  get url(): string {
    return `https://github.com/${this.repo.nameWithOwner}`;
  }

  issue(args: { number: number }, context: GitHubQueryContext): IssueNode {
    const record = this.lookUp(args.number, context);
    // GitHub reports a transferred issue as missing at its old address.
    if (record === undefined || record.isPullRequest || record.transferredTo) {
      throw new GitHubQueryError(
        'NOT_FOUND',
        `Could not resolve to an Issue with the number of ${args.number}.`,
      );
    }

    return new IssueNode(record, this);
  }

  pullRequest(
    args: { number: number },
    context: GitHubQueryContext,
  ): PullRequestNode {
    const record = this.lookUp(args.number, context);
    if (record === undefined || !record.isPullRequest) {
      throw new GitHubQueryError(
        'NOT_FOUND',
        `Could not resolve to a PullRequest with the number of ${args.number}.`,
      );
    }

    return new PullRequestNode(record, this);
  }

  issueOrPullRequest(
    args: { number: number },
    context: GitHubQueryContext,
  ): IssueNode | PullRequestNode {
    const record = this.lookUp(args.number, context);
    if (record === undefined || record.transferredTo) {
      throw new GitHubQueryError(
        'NOT_FOUND',
        `Could not resolve to an issue or pull request with the number of ${args.number}.`,
      );
    }

    return record.isPullRequest
      ? new PullRequestNode(record, this)
      : new IssueNode(record, this);
  }

  private lookUp(
    number: number,
    context: GitHubQueryContext,
  ): GitHubRecord | undefined {
    context.touched.push(`github:${this.repo.key}#${number}`);

    return this.repo.issues.get(number);
  }
}

/** The root value whose methods resolve the Query fields. */
export const githubRoot = {
  repository(
    args: { owner: string; name: string },
    context: GitHubQueryContext,
  ): RepositoryNode {
    const repo = context.store.githubRepo(args.owner, args.name);
    if (repo === undefined) {
      throw new GitHubQueryError(
        'NOT_FOUND',
        `Could not resolve to a Repository with the name '${args.owner}/${args.name}'.`,
      );
    }

    return new RepositoryNode(repo);
  },

  rateLimit(_args: unknown, context: GitHubQueryContext): RateLimitFigures {
    return context.rateLimit;
  },

  viewer(_args: unknown, context: GitHubQueryContext): { login: string } {
    return { login: context.viewerLogin };
  },
};
