import { createDashboardApp } from './dashboard-app';
import { linkBy, linksOf, rowOf } from './testing/html-reading';
import {
  request,
  startTestServer,
  type TestServer,
} from './testing/http-client';
import { addIssue, failSyncJobs } from './testing/seed';
import {
  createTestEnvironment,
  type TestEnvironment,
} from './testing/test-environment';
import { createTestLogger } from './testing/test-logger';

/** Reads the board page's base URL and the assets it loads. */
function boardAssets(page: string): { base: string; assets: string[] } {
  const base = /<base href="([^"]*)"/.exec(page)?.[1] ?? '';
  const scripts = [...page.matchAll(/<script defer src="([^"]+)"/g)];
  const styles = [...page.matchAll(/<link href="(static\/[^"]+)"/g)];

  return {
    base,
    assets: [...scripts, ...styles].map((match) => match[1]!),
  };
}

describe.each([
  { basePath: '', label: 'without a base path' },
  { basePath: '/issue-sync', label: 'under /issue-sync' },
  { basePath: '/ops/issue-sync', label: 'under /ops/issue-sync' },
])('dashboard $label', ({ basePath }) => {
  let env: TestEnvironment;
  let server: TestServer;
  let issueId: number;
  let jobId: string;

  beforeAll(async () => {
    env = await createTestEnvironment({ DASHBOARD_BASE_PATH: basePath });
    server = await startTestServer(
      createDashboardApp({
        config: env.config,
        db: env.db,
        queues: env.queues,
        logger: createTestLogger(),
      }),
    );
    issueId = (
      await addIssue(env, { source: 'GITHUB', project: 'owner/repo', key: '3' })
    ).id;
    const jobs = await failSyncJobs(
      env,
      'GITHUB',
      new Map([[issueId, 'GitHub answered 502 Bad Gateway']]),
      new Date(),
    );
    jobId = jobs.get(issueId)!;
  });

  afterAll(async () => {
    await server.close();
    await env.close();
  });

  it('writes the prefixed board path into the board page', async () => {
    const response = await request(`${server.origin}${basePath}/queues`);
    expect(response.status).toBe(200);
    expect(boardAssets(response.text).base).toBe(`${basePath}/queues/`);
  });

  it('serves every asset the board page loads', async () => {
    const page = (await request(`${server.origin}${basePath}/queues`)).text;
    const { base, assets } = boardAssets(page);
    expect(
      assets.filter((asset) => /^static\/js\/main\./.test(asset)),
    ).toHaveLength(1);
    expect(assets.filter((asset) => /^static\/css\//.test(asset))).toHaveLength(
      1,
    );
    for (const asset of assets) {
      const response = await request(`${server.origin}${base}${asset}`);
      expect({ asset, status: response.status }).toEqual({
        asset,
        status: 200,
      });
      expect(response.headers['content-type']).toMatch(
        asset.endsWith('.css') ? /^text\/css/ : /^text\/javascript/,
      );
    }
  });

  it('serves the board page of a job', async () => {
    const response = await request(
      `${server.origin}${basePath}/queues/queue/sync-github/${jobId}`,
    );
    expect(response.status).toBe(200);
    expect(boardAssets(response.text).base).toBe(`${basePath}/queues/`);
  });

  it('serves the board API', async () => {
    const response = await request(
      `${server.origin}${basePath}/queues/api/queues/sync-github/${jobId}`,
    );
    expect(response.status).toBe(200);
    expect(response.json().job.failedReason).toBe(
      'GitHub answered 502 Bad Gateway',
    );
  });

  it('prefixes every link of the status page', async () => {
    const response = await request(`${server.origin}${basePath}/`);
    expect(response.status).toBe(200);
    const hrefs = linksOf(response.text.split('<h2>')[0]!).map(
      (link) => link.attributes.href,
    );
    expect(hrefs).toEqual([
      `${basePath}/`,
      `${basePath}/queues`,
      `${basePath}/metrics`,
    ]);
    const row = rowOf(response.text, 'data-issue-id', issueId);
    expect(linkBy(row, 'class', 'job-link').attributes.href).toBe(
      `${basePath}/queues/queue/sync-github/${jobId}`,
    );
  });

  it('links the board menu back to the status page', async () => {
    const page = (await request(`${server.origin}${basePath}/queues`)).text;
    const config = JSON.parse(
      /<script id="__UI_CONFIG__" type="application\/json">([^<]*)<\/script>/.exec(
        page,
      )![1]!,
    );
    expect(config.boardTitle).toBe('issue-sync');
    expect(config.miscLinks).toEqual([
      { text: 'Sync status', url: `${basePath}/` },
    ]);
  });

  it.each(['/api/issues', '/metrics'])(
    'serves %s under the base path',
    async (path) => {
      const response = await request(`${server.origin}${basePath}${path}`);
      expect(response.status).toBe(200);
    },
  );

  if (basePath !== '') {
    it.each(['/', '/queues', '/queues/api/queues', '/api/issues', '/metrics'])(
      'answers 404 to %s outside the base path',
      async (path) => {
        const response = await request(`${server.origin}${path}`);
        expect(response.status).toBe(404);
        expect(response.json()).toEqual({
          error: `No route for GET ${path}`,
        });
      },
    );

    it('serves the status page without a trailing slash', async () => {
      const response = await request(`${server.origin}${basePath}`);
      expect(response.status).toBe(200);
      expect(response.text).toContain('<h1>issue-sync status</h1>');
    });
  }
});
