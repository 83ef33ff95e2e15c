import { startSimulator, type Simulator } from '../simulator';
import { send } from '../testing/http-client';

describe('GitHub REST issue endpoints', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({
      githubToken: 'ghp_right',
      issues: [
        {
          source: 'github',
          project: 'Octo-Org/old-repo',
          key: '15',
          title: 'Moved away',
          status: 'OPEN',
          transferredTo: 'octo-org/new-repo#3',
        },
        {
          source: 'github',
          project: 'octo-org/new-repo',
          key: '3',
          title: 'Moved here',
          status: 'CLOSED',
          stateReason: 'COMPLETED',
          labels: ['moved'],
        },
        {
          source: 'github',
          project: 'octo-org/new-repo',
          key: '4',
          title: 'A pull request',
          status: 'MERGED',
          isPullRequest: true,
        },
      ],
    });
  });

  afterAll(async () => {
    await sim.close();
  });

  it('returns an issue with the minimal REST fields', async () => {
    const api = sim.githubApiUrl;
    const response = await send(`${api}/repos/octo-org/new-repo/issues/3`);
    const body = response.json as Record<string, unknown>;

    expect(response.status).toBe(200);
    expect(body).toMatchObject({
      url: `${api}/repos/octo-org/new-repo/issues/3`,
      repository_url: `${api}/repos/octo-org/new-repo`,
      html_url: 'https://github.com/octo-org/new-repo/issues/3',
      number: 3,
      title: 'Moved here',
      state: 'closed',
      state_reason: 'completed',
      labels: [{ name: 'moved' }],
    });
    expect(typeof body.id).toBe('number');
  });

  it('redirects a transferred issue to the new repository by id', async () => {
    const api = sim.githubApiUrl;
    const response = await send(`${api}/repos/octo-org/old-repo/issues/15`);
    const location = String(response.headers.location);

    expect(response.status).toBe(301);
    expect(location).toMatch(
      new RegExp(`^${api}/repositories/[0-9]+/issues/3$`),
    );
    expect(response.json).toEqual({
      message: 'Moved Permanently',
      url: location,
      documentation_url:
        'https://docs.github.com/rest/issues/issues#get-an-issue',
    });

    const followed = await send(location);
    expect(followed.status).toBe(200);
    expect(followed.json).toMatchObject({
      number: 3,
      title: 'Moved here',
      repository_url: `${api}/repos/octo-org/new-repo`,
    });
  });

  it('returns a pull request as an issue', async () => {
    const api = sim.githubApiUrl;
    const response = await send(`${api}/repos/octo-org/new-repo/issues/4`);

    expect(response.json).toMatchObject({
      state: 'closed',
      html_url: 'https://github.com/octo-org/new-repo/pull/4',
      pull_request: { url: `${api}/repos/octo-org/new-repo/pulls/4` },
    });
  });

  it.each([
    '/repos/octo-org/new-repo/issues/99',
    '/repos/nobody/nothing/issues/1',
    '/repositories/1/issues/1',
  ])('returns the REST 404 for %s', async (path) => {
    const response = await send(`${sim.githubApiUrl}${path}`);

    expect(response.status).toBe(404);
    expect(response.json).toEqual({
      message: 'Not Found',
      documentation_url:
        'https://docs.github.com/rest/issues/issues#get-an-issue',
      status: '404',
    });
  });

  it('rejects a wrong token with the REST 401', async () => {
    const response = await send(
      `${sim.githubApiUrl}/repos/octo-org/new-repo/issues/3`,
      {
        headers: { authorization: 'token ghp_wrong' },
      },
    );

    expect(response.status).toBe(401);
    expect(response.json).toEqual({
      message: 'Bad credentials',
      documentation_url: 'https://docs.github.com/rest',
      status: '401',
    });
  });
});
