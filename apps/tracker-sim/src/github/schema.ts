import { buildSchema, type GraphQLSchema } from 'graphql';

// A subset of GitHub's public GraphQL schema: field names, arguments and
// nullability as GitHub declares them, so that real queries validate alike.
const GITHUB_SDL = /* GraphQL */ `
  scalar DateTime
  scalar URI

  type Query {
    repository(
      owner: String!
      name: String!
      followRenames: Boolean = true
    ): Repository
    rateLimit(dryRun: Boolean = false): RateLimit
    viewer: User!
  }

  type Repository {
    id: ID!
    databaseId: Int
    name: String!
    nameWithOwner: String!
    owner: RepositoryOwner!
    url: URI!
    issue(number: Int!): Issue
    pullRequest(number: Int!): PullRequest
    issueOrPullRequest(number: Int!): IssueOrPullRequest
  }

  type RepositoryOwner {
    login: String!
  }

  union IssueOrPullRequest = Issue | PullRequest

  enum IssueState {
    OPEN
    CLOSED
  }

  enum IssueStateReason {
    COMPLETED
    DUPLICATE
    NOT_PLANNED
    REOPENED
  }

  enum PullRequestState {
    OPEN
    CLOSED
    MERGED
  }

  type Issue {
    id: ID!
    databaseId: Int
    number: Int!
    title: String!
    state: IssueState!
    stateReason(enableDuplicate: Boolean = false): IssueStateReason
    closed: Boolean!
    url: URI!
    repository: Repository!
    labels(
      first: Int
      after: String
      last: Int
      before: String
    ): LabelConnection
  }

  type PullRequest {
    id: ID!
    databaseId: Int
    number: Int!
    title: String!
    state: PullRequestState!
    closed: Boolean!
    merged: Boolean!
    url: URI!
    repository: Repository!
    labels(
      first: Int
      after: String
      last: Int
      before: String
    ): LabelConnection
  }

  type Label {
    id: ID!
    name: String!
    color: String!
  }

  type LabelEdge {
    cursor: String!
    node: Label
  }

  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  type LabelConnection {
    nodes: [Label]
    edges: [LabelEdge]
    totalCount: Int!
    pageInfo: PageInfo!
  }

  type RateLimit {
    limit: Int!
    cost: Int!
    remaining: Int!
    resetAt: DateTime!
    used: Int!
    nodeCount: Int!
  }

  type User {
    login: String!
  }
`;

let cached: GraphQLSchema | undefined;

/** Builds the schema once per process. */
export function getGitHubSchema(): GraphQLSchema {
  cached ??= buildSchema(GITHUB_SDL);

  return cached;
}
