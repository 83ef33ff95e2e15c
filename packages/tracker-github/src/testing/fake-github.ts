import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { buildSchema, graphql, GraphQLError } from 'graphql';

import { readFixture } from './fixtures';

/** An issue or pull request that the fake server serves. */
export interface FakeIssue {
  /** `owner/repo`, in any case. */
  project: string;
  number: number;
  typename?: 'Issue' | 'PullRequest';
  title: string;
  /** Issue: OPEN or CLOSED. Pull request: OPEN, CLOSED or MERGED. */
  state: string;
  stateReason?: string | null;
  url?: string;
  labels?: string[];
}

/** A request as the fake server received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Parsed body of a GraphQL request. */
  graphql?: { query: string; variables: Record<string, unknown> };
}

/**
 * A canned response. `destroy` drops the connection instead of answering;
 * `chunks` sends the body in pieces without a content-length.
 */
export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  chunks?: string[];
  delayMs?: number;
  destroy?: boolean;
}

/** Returns a canned response for a request, or undefined for the default one. */
export type Interceptor = (
  request: RecordedRequest,
) => FakeResponse | undefined;

const SCHEMA = buildSchema(`
  type Query {
    repository(owner: String!, name: String!, followRenames: Boolean = true): Repository
    rateLimit(dryRun: Boolean = false): RateLimit
    viewer: User!
  }
  type Repository {
    nameWithOwner: String!
    issueOrPullRequest(number: Int!): IssueOrPullRequest
  }
  union IssueOrPullRequest = Issue | PullRequest
  enum IssueState { OPEN CLOSED }
  enum IssueStateReason { COMPLETED DUPLICATE NOT_PLANNED REOPENED }
  enum PullRequestState { OPEN CLOSED MERGED }
  type Issue {
    number: Int!
    title: String!
    state: IssueState!
    stateReason(enableDuplicate: Boolean = false): IssueStateReason
    url: String!
    labels(first: Int, after: String): LabelConnection
  }
  type PullRequest {
    number: Int!
    title: String!
    state: PullRequestState!
    url: String!
    labels(first: Int, after: String): LabelConnection
  }
  type LabelConnection {
    nodes: [Label]
    pageInfo: PageInfo!
    totalCount: Int!
  }
  type Label { name: String! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type RateLimit { limit: Int! cost: Int! remaining: Int! resetAt: String! used: Int! }
  type User { login: String! }
`);

/**
 * A GitHub stand-in on 127.0.0.1 for the adapter's tests. GraphQL
 * documents really execute against a subset of GitHub's schema, so
 * aliases, fragments and variables behave as on GitHub. Responses carry
 * the recorded headers and GitHub's NOT_FOUND shape, and REST responds to
 * transferred issues with 301, as GitHub does.
 */
export class FakeGithub {
  readonly requests: RecordedRequest[] = [];
  /** Sent as x-oauth-scopes; null leaves the header out. */
  scopes: string | null = 'repo';
  login = 'octocat';
  /** Returned as `rateLimit`; the values are those of a recorded answer. */
  rateLimit = {
    limit: 5000,
    cost: 1,
    remaining: 4999,
    resetAt: '2025-01-01T01:00:00Z',
    used: 1,
  };
  /** `owner/repo#n` (lower case) to its new `owner/repo#m`. */
  readonly transfers = new Map<string, string>();
  private readonly issues = new Map<string, FakeIssue>();
  private readonly repositoryIds = new Map<string, string>();
  private interceptor: Interceptor | undefined;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly token: string,
  ) {}

  /** Starts the server on a free port; requests need `bearer <token>`. */
  static async start(
    token: string,
    issues: FakeIssue[] = [],
  ): Promise<FakeGithub> {
    let fake: FakeGithub | undefined;
    const server = http.createServer((request, response) => {
      void fake?.handle(request, response);
    });
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    const { port } = server.address() as AddressInfo;
    fake = new FakeGithub(server, `http://127.0.0.1:${port}`, token);
    fake.addIssues(issues);

    return fake;
  }

  /** The adapter's apiUrl for this server. */
  get apiUrl(): string {
    return `${this.url}/github`;
  }

  /** The GraphQL requests received so far. */
  get graphqlRequests(): RecordedRequest[] {
    return this.requests.filter((request) => request.graphql !== undefined);
  }

  addIssues(issues: FakeIssue[]): void {
    for (const issue of issues) {
      this.issues.set(issueKey(issue.project, issue.number), issue);
    }
  }

  intercept(interceptor: Interceptor | undefined): void {
    this.interceptor = interceptor;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) {
      chunks.push(chunk as Buffer);
    }
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      headers: request.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    if (recorded.path.endsWith('/graphql')) {
      try {
        recorded.graphql = JSON.parse(
          recorded.body,
        ) as RecordedRequest['graphql'];
      } catch {
        // Left undefined: the default answer rejects the body.
      }
    }
    this.requests.push(recorded);

    const answer =
      this.interceptor?.(recorded) ?? (await this.answer(recorded));
    if (answer.delayMs !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    }
    if (answer.destroy === true) {
      request.socket.destroy();
      return;
    }
    response.writeHead(answer.status, answer.headers ?? {});
    for (const chunk of answer.chunks ?? []) {
      response.write(chunk);
    }
    response.end(answer.body ?? '');
  }

  private async answer(request: RecordedRequest): Promise<FakeResponse> {
    const authorization = request.headers.authorization ?? '';
    const [scheme, credential] = authorization.split(' ');
    if (!/^(bearer|token)$/i.test(scheme ?? '') || credential !== this.token) {
      return replay('graphql-401-bad-credentials');
    }

    if (request.method === 'POST' && request.path === '/github/graphql') {
      return this.answerGraphql(request);
    }
    const moved = /^\/github\/repositories\/(\d+)\/issues\/(\d+)$/.exec(
      request.path,
    );
    if (request.method === 'GET' && moved !== null) {
      const project = this.repositoryIds.get(moved[1] as string) ?? '';
      return this.answerRestIssue(project, Number(moved[2]));
    }
    const rest = /^\/github\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/.exec(
      request.path,
    );
    if (request.method === 'GET' && rest !== null) {
      return this.answerRestIssue(`${rest[1]}/${rest[2]}`, Number(rest[3]));
    }

    return { status: 404, body: '{"message":"Not Found"}' };
  }

  private async answerGraphql(request: RecordedRequest): Promise<FakeResponse> {
    const recorded = readFixture('graphql-query-ok');
    const headers = { ...recorded.headers };
    if (this.scopes === null) {
      delete headers['x-oauth-scopes'];
    } else {
      headers['x-oauth-scopes'] = this.scopes;
    }
    if (request.graphql === undefined) {
      return {
        status: 400,
        headers,
        body: '{"message":"Problems parsing JSON"}',
      };
    }

    const result = await graphql({
      schema: SCHEMA,
      source: request.graphql.query,
      variableValues: request.graphql.variables,
      rootValue: this.rootValue(),
    });
    const body: Record<string, unknown> = {};
    if (result.data !== undefined) {
      body.data = result.data;
    }
    if (result.errors !== undefined) {
      body.errors = result.errors.map(toGithubError);
    }

    return { status: 200, headers, body: JSON.stringify(body) };
  }

  private answerRestIssue(project: string, number: number): FakeResponse {
    const key = issueKey(project, number);
    const movedTo = this.transfers.get(key);
    if (movedTo !== undefined) {
      const [newProject, newNumber] = movedTo.split('#') as [string, string];
      const id = String(this.repositoryIds.size + 1000);
      this.repositoryIds.set(id, newProject);
      const location = `${this.apiUrl}/repositories/${id}/issues/${newNumber}`;
      return {
        status: 301,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          location,
        },
        body: JSON.stringify({
          message: 'Moved Permanently',
          url: location,
          documentation_url:
            'https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects',
        }),
      };
    }

    const issue = this.issues.get(key);
    if (issue === undefined) {
      return {
        status: 404,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: '{"message":"Not Found","documentation_url":"https://docs.github.com/rest/issues/issues#get-an-issue","status":"404"}',
      };
    }

    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({
        number: issue.number,
        title: issue.title,
        state: issue.state.toLowerCase(),
        html_url:
          issue.url ??
          `https://github.com/${issue.project}/issues/${issue.number}`,
        repository_url: `${this.apiUrl}/repos/${issue.project}`,
      }),
    };
  }

  private rootValue(): Record<string, unknown> {
    return {
      rateLimit: () => this.rateLimit,
      viewer: () => ({ login: this.login }),
      repository: ({ owner, name }: { owner: string; name: string }) => {
        const project = `${owner}/${name}`.toLowerCase();
        const known = [...this.issues.values()].some(
          (issue) => issue.project.toLowerCase() === project,
        );
        if (!known) {
          throw notFound(
            `Could not resolve to a Repository with the name '${owner}/${name}'.`,
          );
        }
        return {
          nameWithOwner: `${owner}/${name}`,
          issueOrPullRequest: ({ number }: { number: number }) => {
            const issue = this.issues.get(issueKey(project, number));
            if (
              issue === undefined ||
              this.transfers.has(issueKey(project, number))
            ) {
              throw notFound(
                `Could not resolve to an issue or pull request with the number of ${number}.`,
              );
            }
            return toNode(issue);
          },
        };
      },
    };
  }
}

/** Replays a recorded fixture with its status and headers. */
export function replay(
  name: string,
  overrides: Partial<FakeResponse> = {},
): FakeResponse {
  const fixture = readFixture(name);

  return {
    status: fixture.status,
    headers: fixture.headers,
    body: fixture.body,
    ...overrides,
  };
}

function issueKey(project: string, number: number): string {
  return `${project.toLowerCase()}#${number}`;
}

function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { type: 'NOT_FOUND' } });
}

// GitHub puts `type` at the top of each error, not under extensions.
function toGithubError(error: GraphQLError): Record<string, unknown> {
  const { extensions, ...rest } = error.toJSON();
  return extensions?.type === undefined
    ? rest
    : { type: extensions.type, ...rest };
}

function toNode(issue: FakeIssue): Record<string, unknown> {
  const labels = issue.labels ?? [];

  return {
    __typename: issue.typename ?? 'Issue',
    number: issue.number,
    title: issue.title,
    state: issue.state,
    url:
      issue.url ?? `https://github.com/${issue.project}/issues/${issue.number}`,
    stateReason: ({ enableDuplicate }: { enableDuplicate: boolean }) =>
      issue.stateReason === 'DUPLICATE' && !enableDuplicate
        ? 'COMPLETED'
        : (issue.stateReason ?? null),
    labels: ({ first, after }: { first?: number; after?: string }) => {
      const start =
        after === undefined
          ? 0
          : Number(Buffer.from(after, 'base64').toString().slice(7));
      const size = first ?? 100;
      const nodes = labels.slice(start, start + size).map((name) => ({ name }));
      const end = start + nodes.length;
      return {
        nodes,
        totalCount: labels.length,
        pageInfo: {
          hasNextPage: end < labels.length,
          endCursor:
            nodes.length === 0
              ? null
              : Buffer.from(`cursor:${end}`).toString('base64'),
        },
      };
    },
  };
}
