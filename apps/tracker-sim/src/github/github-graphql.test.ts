import { startSimulator, type Simulator } from '../simulator';
import { postGraphql, send } from '../testing/http-client';
import type { SimIssue } from '../types';

const ISSUES: SimIssue[] = [
  {
    source: 'github',
    project: 'OWNER/REPO',
    key: '1',
    title: 'Closed as completed',
    status: 'CLOSED',
    stateReason: 'COMPLETED',
    labels: ['bug'],
  },
  {
    source: 'github',
    project: 'OWNER/REPO',
    key: '2',
    title: 'Closed as duplicate',
    status: 'CLOSED',
    stateReason: 'DUPLICATE',
  },
  {
    source: 'github',
    project: 'OWNER/REPO',
    key: '3',
    title: 'Reopened issue',
    status: 'OPEN',
    stateReason: 'REOPENED',
    labels: ['enhancement'],
  },
  {
    source: 'github',
    project: 'OWNER/REPO',
    key: '4',
    title: 'A pull request',
    status: 'MERGED',
    isPullRequest: true,
  },
  {
    source: 'github',
    project: 'OWNER/REPO',
    key: '123',
    title: 'Example issue title',
    status: 'OPEN',
    labels: ['bug', 'help wanted'],
  },
  {
    source: 'github',
    project: 'OWNER/REPO',
    key: '124',
    title: 'Example issue title',
    status: 'CLOSED',
    stateReason: 'NOT_PLANNED',
    labels: ['wontfix'],
  },
  {
    source: 'github',
    project: 'OWNER/REPO',
    key: '125',
    title: 'Example pull request',
    status: 'MERGED',
    isPullRequest: true,
  },
  {
    source: 'github',
    project: 'OWNER/REPO',
    key: '130',
    title: 'Many labels',
    status: 'OPEN',
    labels: ['l1', 'l2', 'l3', 'l4', 'l5'],
  },
  {
    source: 'github',
    project: 'OWNER/REPO',
    key: '140',
    title: 'Moved away',
    status: 'OPEN',
    transferredTo: 'other/place#9',
  },
];

// The single-issue query whose `issue` field sits on line 3, column 5.
const SINGLE_ISSUE_QUERY = `query($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) {
    issue(number: $number) {
      title
      state
      stateReason
      url
      labels(first: 20) { nodes { name } }
    }
  }
  rateLimit { limit cost remaining resetAt }
}`;

const BATCH_QUERY = `query($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) {
    i1: issue(number: 1) { ...fields stateReason }
    i2: issue(number: 2) { ...fields stateReason(enableDuplicate: true) }
    i3: issue(number: 3) { ...fields stateReason }
    i4: issue(number: 4) { ...fields stateReason }
  }
}
fragment fields on Issue { title state url labels(first: 20) { nodes { name } } }`;

describe('GitHub GraphQL endpoint', () => {
  let sim: Simulator;

  beforeEach(async () => {
    sim = await startSimulator({ issues: ISSUES });
  });

  afterEach(async () => {
    await sim.close();
  });

  describe('when the issue exists', () => {
    it('returns an open issue with labels and rateLimit', async () => {
      const response = await postGraphql(sim.githubApiUrl, SINGLE_ISSUE_QUERY, {
        owner: 'OWNER',
        name: 'REPO',
        number: 123,
      });

      expect(response.status).toBe(200);
      const body = response.json as {
        data: { rateLimit: { resetAt: string } };
      };
      expect(body).toEqual({
        data: {
          repository: {
            issue: {
              title: 'Example issue title',
              state: 'OPEN',
              stateReason: null,
              url: 'https://github.com/OWNER/REPO/issues/123',
              labels: { nodes: [{ name: 'bug' }, { name: 'help wanted' }] },
            },
          },
          rateLimit: {
            limit: 5000,
            cost: 1,
            remaining: 4999,
            resetAt: body.data.rateLimit.resetAt,
          },
        },
      });
      expect(body.data.rateLimit.resetAt).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
      );
    });

    it('returns a closed issue with its state reason', async () => {
      const response = await postGraphql(sim.githubApiUrl, SINGLE_ISSUE_QUERY, {
        owner: 'owner',
        name: 'repo',
        number: 124,
      });

      expect(response.json).toMatchObject({
        data: {
          repository: {
            issue: {
              title: 'Example issue title',
              state: 'CLOSED',
              stateReason: 'NOT_PLANNED',
              url: 'https://github.com/OWNER/REPO/issues/124',
              labels: { nodes: [{ name: 'wontfix' }] },
            },
          },
        },
      });
    });

    it('sends the rate-limit and media-type headers', async () => {
      const response = await postGraphql(
        sim.githubApiUrl,
        '{ viewer { login } }',
      );

      expect(response.headers['content-type']).toBe(
        'application/json; charset=utf-8',
      );
      expect(response.headers['x-ratelimit-limit']).toBe('5000');
      expect(response.headers['x-ratelimit-remaining']).toBe('4999');
      expect(response.headers['x-ratelimit-used']).toBe('1');
      expect(response.headers['x-ratelimit-resource']).toBe('graphql');
      expect(response.headers['x-github-media-type']).toBe(
        'github.v4; format=json',
      );
      const reset = Number(response.headers['x-ratelimit-reset']);
      expect(reset).toBeGreaterThan(Date.now() / 1000 + 3500);
      expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 3600);
    });
  });

  describe('when a batch holds a missing alias', () => {
    it('keeps the other aliases and reports NOT_FOUND at the alias path', async () => {
      const response = await postGraphql(sim.githubApiUrl, BATCH_QUERY, {
        owner: 'OWNER',
        name: 'REPO',
      });

      expect(response.status).toBe(200);
      expect(response.json).toEqual({
        data: {
          repository: {
            i1: {
              title: 'Closed as completed',
              state: 'CLOSED',
              stateReason: 'COMPLETED',
              url: 'https://github.com/OWNER/REPO/issues/1',
              labels: { nodes: [{ name: 'bug' }] },
            },
            i2: {
              title: 'Closed as duplicate',
              state: 'CLOSED',
              stateReason: 'DUPLICATE',
              url: 'https://github.com/OWNER/REPO/issues/2',
              labels: { nodes: [] },
            },
            i3: {
              title: 'Reopened issue',
              state: 'OPEN',
              stateReason: 'REOPENED',
              url: 'https://github.com/OWNER/REPO/issues/3',
              labels: { nodes: [{ name: 'enhancement' }] },
            },
            i4: null,
          },
        },
        errors: [
          {
            type: 'NOT_FOUND',
            path: ['repository', 'i4'],
            locations: [{ line: 6, column: 5 }],
            message: 'Could not resolve to an Issue with the number of 4.',
          },
        ],
      });
    });

    it('orders error keys as GitHub does', async () => {
      const response = await postGraphql(sim.githubApiUrl, BATCH_QUERY, {
        owner: 'OWNER',
        name: 'REPO',
      });
      const [error] = (response.json as { errors: object[] }).errors;

      expect(Object.keys(error!)).toEqual([
        'type',
        'path',
        'locations',
        'message',
      ]);
      expect(response.text.indexOf('"data"')).toBe(1);
    });
  });

  describe('when a repository is missing', () => {
    it('returns null at the alias with NOT_FOUND', async () => {
      const response = await postGraphql(
        sim.githubApiUrl,
        `query {
repo_0: repository(owner: "whoisthis", name: "sourcegraph") {
repo_0_5550: pullRequest(number: 5550) { title }
}
}`,
      );

      expect(response.status).toBe(200);
      expect(response.json).toEqual({
        data: { repo_0: null },
        errors: [
          {
            type: 'NOT_FOUND',
            path: ['repo_0'],
            locations: [{ line: 2, column: 1 }],
            message:
              "Could not resolve to a Repository with the name 'whoisthis/sourcegraph'.",
          },
        ],
      });
    });
  });

  describe('when a number is not an issue', () => {
    it('reports NOT_FOUND for a pull request as issue', async () => {
      const response = await postGraphql(sim.githubApiUrl, SINGLE_ISSUE_QUERY, {
        owner: 'OWNER',
        name: 'REPO',
        number: 125,
      });

      expect(response.json).toMatchObject({
        data: { repository: { issue: null } },
        errors: [
          {
            type: 'NOT_FOUND',
            path: ['repository', 'issue'],
            locations: [{ line: 3, column: 5 }],
            message: 'Could not resolve to an Issue with the number of 125.',
          },
        ],
      });
    });

    it('reports NOT_FOUND at a transferred address', async () => {
      const response = await postGraphql(sim.githubApiUrl, SINGLE_ISSUE_QUERY, {
        owner: 'OWNER',
        name: 'REPO',
        number: 140,
      });

      expect(response.json).toMatchObject({
        data: { repository: { issue: null } },
        errors: [
          {
            type: 'NOT_FOUND',
            message: 'Could not resolve to an Issue with the number of 140.',
          },
        ],
      });
    });

    it('tells a pull request from an issue with issueOrPullRequest', async () => {
      const response = await postGraphql(
        sim.githubApiUrl,
        `{
  repository(owner: "OWNER", name: "REPO") {
    pr: issueOrPullRequest(number: 125) {
      __typename
      ... on PullRequest { title state url }
      ... on Issue { title url }
    }
    issue: issueOrPullRequest(number: 123) {
      __typename
      ... on Issue { title state }
    }
    gone: issueOrPullRequest(number: 999) { __typename }
  }
}`,
      );

      expect(response.json).toEqual({
        data: {
          repository: {
            pr: {
              __typename: 'PullRequest',
              title: 'Example pull request',
              state: 'MERGED',
              url: 'https://github.com/OWNER/REPO/pull/125',
            },
            issue: {
              __typename: 'Issue',
              title: 'Example issue title',
              state: 'OPEN',
            },
            gone: null,
          },
        },
        errors: [
          {
            type: 'NOT_FOUND',
            path: ['repository', 'gone'],
            locations: [{ line: 12, column: 5 }],
            message:
              'Could not resolve to an issue or pull request with the number of 999.',
          },
        ],
      });
    });

    it('reports NOT_FOUND for an issue as pull request', async () => {
      const response = await postGraphql(
        sim.githubApiUrl,
        '{ repository(owner: "OWNER", name: "REPO") { pullRequest(number: 123) { title } } }',
      );

      expect(response.json).toMatchObject({
        data: { repository: { pullRequest: null } },
        errors: [
          {
            type: 'NOT_FOUND',
            message:
              'Could not resolve to a PullRequest with the number of 123.',
          },
        ],
      });
    });
  });

  describe('stateReason of a duplicate', () => {
    it('reads COMPLETED without enableDuplicate', async () => {
      const response = await postGraphql(
        sim.githubApiUrl,
        '{ repository(owner: "OWNER", name: "REPO") { issue(number: 2) { stateReason } } }',
      );

      expect(response.json).toEqual({
        data: { repository: { issue: { stateReason: 'COMPLETED' } } },
      });
    });
  });

  describe('labels paging', () => {
    const labelsQuery = `query($first: Int, $after: String) {
  repository(owner: "OWNER", name: "REPO") {
    issue(number: 130) {
      labels(first: $first, after: $after) {
        totalCount
        nodes { name }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}`;
    type LabelsResponse = {
      data: {
        repository: {
          issue: {
            labels: {
              totalCount: number;
              nodes: Array<{ name: string }>;
              pageInfo: { hasNextPage: boolean; endCursor: string | null };
            };
          };
        };
      };
    };

    it('pages with first and after until hasNextPage is false', async () => {
      const names: string[] = [];
      const pages: boolean[] = [];
      let after: string | null = null;
      for (let i = 0; i < 5; i += 1) {
        const response = await postGraphql(sim.githubApiUrl, labelsQuery, {
          first: 2,
          after,
        });
        const labels = (response.json as LabelsResponse).data.repository.issue
          .labels;
        expect(labels.totalCount).toBe(5);
        names.push(...labels.nodes.map((node) => node.name));
        pages.push(labels.pageInfo.hasNextPage);
        if (!labels.pageInfo.hasNextPage) {
          break;
        }
        after = labels.pageInfo.endCursor;
      }

      expect(names).toEqual(['l1', 'l2', 'l3', 'l4', 'l5']);
      expect(pages).toEqual([true, true, false]);
    });

    it('rejects first above 100 with EXCESSIVE_PAGINATION', async () => {
      const response = await postGraphql(sim.githubApiUrl, labelsQuery, {
        first: 101,
      });

      expect(response.json).toEqual({
        data: { repository: { issue: { labels: null } } },
        errors: [
          {
            type: 'EXCESSIVE_PAGINATION',
            path: ['repository', 'issue', 'labels'],
            locations: [{ line: 4, column: 7 }],
            message:
              'Requesting 101 records on the `labels` connection exceeds the `first` limit of 100 records.',
          },
        ],
      });
    });

    it('rejects a connection without first or last', async () => {
      const response = await postGraphql(sim.githubApiUrl, labelsQuery, {});

      expect(response.json).toMatchObject({
        data: { repository: { issue: { labels: null } } },
        errors: [
          {
            type: 'MISSING_PAGINATION_BOUNDARIES',
            message:
              'You must provide a `first` or `last` value to properly paginate the `labels` connection.',
          },
        ],
      });
    });
  });

  describe('when the query is invalid', () => {
    it('reports a syntax error without type or data', async () => {
      const response = await postGraphql(
        sim.githubApiUrl,
        '{\n  viewer {\n    login\n  }\n  }\n}',
      );

      expect(response.status).toBe(200);
      expect(response.headers['x-ratelimit-used']).toBe('0');
      expect(response.json).toEqual({
        errors: [
          {
            message: 'Parse error on "}" (RCURLY) at [6, 1]',
            locations: [{ line: 6, column: 1 }],
          },
        ],
      });
    });

    it('reports an unterminated document', async () => {
      const response = await postGraphql(
        sim.githubApiUrl,
        '{ viewer { login }',
      );

      expect(response.json).toEqual({
        errors: [
          {
            message: 'Unexpected end of document',
            locations: [{ line: 1, column: 19 }],
          },
        ],
      });
    });

    it('reports an undefined field with its path', async () => {
      const response = await postGraphql(
        sim.githubApiUrl,
        'query Lookup {\n  repository(owner: "OWNER", name: "REPO") {\n    nope\n  }\n}',
      );

      expect(response.json).toEqual({
        errors: [
          {
            path: ['query Lookup', 'repository', 'nope'],
            extensions: {
              code: 'undefinedField',
              typeName: 'Repository',
              fieldName: 'nope',
            },
            locations: [{ line: 3, column: 5 }],
            message: "Field 'nope' doesn't exist on type 'Repository'",
          },
        ],
      });
    });

    it('rejects a body that is not JSON with 400', async () => {
      const response = await send(`${sim.githubApiUrl}/graphql`, {
        method: 'POST',
        body: '{"query": ',
      });

      expect(response.status).toBe(400);
      expect(response.json).toEqual({
        message: 'Problems parsing JSON',
        documentation_url: 'https://docs.github.com/graphql',
      });
      expect(response.headers['x-ratelimit-remaining']).toBe('5000');
      expect(response.headers['x-ratelimit-resource']).toBe('graphql');
    });

    it('reports a body without query', async () => {
      const response = await send(`${sim.githubApiUrl}/graphql`, {
        method: 'POST',
        body: {},
      });

      expect(response.json).toEqual({
        errors: [
          {
            message:
              'A query attribute must be specified and must be a string.',
          },
        ],
      });
    });
  });

  describe('rateLimit', () => {
    it('reports used, remaining and nodeCount', async () => {
      await postGraphql(sim.githubApiUrl, '{ viewer { login } }');
      const response = await postGraphql(
        sim.githubApiUrl,
        `{
  repository(owner: "OWNER", name: "REPO") {
    a: issue(number: 1) { labels(first: 30) { totalCount } }
    b: issue(number: 3) { labels(first: 20) { totalCount } }
  }
  rateLimit { limit cost remaining used nodeCount }
}`,
      );

      expect(
        (response.json as { data: { rateLimit: unknown } }).data.rateLimit,
      ).toEqual({
        limit: 5000,
        cost: 1,
        remaining: 4998,
        used: 2,
        nodeCount: 50,
      });
    });

    it('spends nothing on a dry run', async () => {
      const response = await postGraphql(
        sim.githubApiUrl,
        '{ rateLimit(dryRun: true) { cost remaining used } }',
      );

      expect(response.json).toEqual({
        data: { rateLimit: { cost: 1, remaining: 5000, used: 0 } },
      });
      expect(response.headers['x-ratelimit-remaining']).toBe('5000');
    });
  });
});

describe('GitHub GraphQL budget', () => {
  it('returns RATE_LIMIT once the points run out', async () => {
    const sim = await startSimulator({
      issues: ISSUES,
      githubPointsPerHour: 2,
    });
    try {
      const first = await postGraphql(sim.githubApiUrl, '{ viewer { login } }');
      const second = await postGraphql(
        sim.githubApiUrl,
        '{ viewer { login } }',
      );
      const third = await postGraphql(sim.githubApiUrl, '{ viewer { login } }');

      expect(first.headers['x-ratelimit-remaining']).toBe('1');
      expect(second.headers['x-ratelimit-remaining']).toBe('0');
      expect(second.json).toEqual({
        data: { viewer: { login: 'tracker-sim' } },
      });
      expect(third.status).toBe(200);
      expect(third.headers['x-ratelimit-remaining']).toBe('0');
      expect(third.headers['x-ratelimit-limit']).toBe('2');
      expect(third.json).toEqual({
        errors: [
          {
            type: 'RATE_LIMIT',
            code: 'graphql_rate_limit',
            message: 'API rate limit already exceeded for user ID 1.',
          },
        ],
      });
      expect(sim.stats().github.rateLimited).toBe(1);

      sim.reset();
      const afterReset = await postGraphql(
        sim.githubApiUrl,
        '{ viewer { login } }',
      );
      expect(afterReset.headers['x-ratelimit-remaining']).toBe('1');
    } finally {
      await sim.close();
    }
  });
});

describe('GitHub GraphQL authentication', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({
      issues: ISSUES,
      githubToken: 'ghp_right',
      githubLogin: 'octocat',
    });
  });

  afterAll(async () => {
    await sim.close();
  });

  it('rejects a wrong token with the exact 401 body', async () => {
    const response = await postGraphql(
      sim.githubApiUrl,
      '{ viewer { login } }',
      {},
      {
        authorization: 'bearer ghp_wrong',
      },
    );

    expect(response.status).toBe(401);
    expect(response.text).toBe(
      '{"message":"Bad credentials","documentation_url":"https://docs.github.com/graphql"}',
    );
    expect(response.headers['content-length']).toBe('83');
    expect(response.headers['x-ratelimit-limit']).toBe('0');
    expect(response.headers['x-ratelimit-remaining']).toBe('0');
    expect(response.headers['x-ratelimit-resource']).toBe('graphql');
  });

  it('rejects a missing token with 401', async () => {
    const response = await postGraphql(
      sim.githubApiUrl,
      '{ viewer { login } }',
    );

    expect(response.status).toBe(401);
    expect((response.json as { message: string }).message).toBe(
      'This endpoint requires you to be authenticated.',
    );
    expect(response.headers['x-ratelimit-limit']).toBe('0');
  });

  it('returns viewer with x-oauth-scopes', async () => {
    const response = await postGraphql(
      sim.githubApiUrl,
      '{ viewer { login } }',
      {},
      {
        authorization: 'token ghp_right',
      },
    );

    expect(response.status).toBe(200);
    expect(response.json).toEqual({ data: { viewer: { login: 'octocat' } } });
    expect(response.headers['x-oauth-scopes']).toBe('repo');
  });
});
