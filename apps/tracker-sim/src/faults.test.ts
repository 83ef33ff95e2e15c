import { HUGE_PADDING_BYTES } from './fault-replies';
import { startSimulator, type Simulator } from './simulator';
import { postGraphql, send } from './testing/http-client';
import type { SimFault, SimIssue, SimSource } from './types';

const ISSUES: SimIssue[] = [
  {
    source: 'github',
    project: 'octo/repo',
    key: '1',
    title: 'First',
    status: 'OPEN',
  },
  {
    source: 'github',
    project: 'octo/repo',
    key: '2',
    title: 'Second',
    status: 'OPEN',
  },
  {
    source: 'github',
    project: 'octo/repo',
    key: '3',
    title: 'Third',
    status: 'OPEN',
  },
  {
    source: 'jira',
    project: 'DEMO',
    key: '12',
    title: 'Add export',
    status: 'To Do',
  },
  {
    source: 'jira',
    project: 'DEMO',
    key: '13',
    title: 'Remove import',
    status: 'Done',
  },
  {
    source: 'launchpad',
    project: 'ubuntu',
    key: '1000001',
    title: 'Panic',
    status: 'New',
  },
];

const ISSUE_QUERY = `query($number: Int!) {
  repository(owner: "octo", name: "repo") { issue(number: $number) { title state } }
}`;
const BATCH_QUERY = `{
  repository(owner: "octo", name: "repo") {
    a: issue(number: 1) { title }
    b: issue(number: 2) { title }
    c: issue(number: 3) { title }
  }
}`;

describe('faults', () => {
  let sim: Simulator;

  const readGitHub = (number: number) =>
    postGraphql(sim.githubApiUrl, ISSUE_QUERY, { number });
  const readJira = (key = 'DEMO-12') =>
    send(`${sim.jiraBaseUrl}/rest/api/3/issue/${key}?fields=summary`);
  const readLaunchpad = () => send(`${sim.launchpadApiUrl}/bugs/1000001`);
  const setIssueFault = (
    source: SimSource,
    project: string,
    key: string,
    fault: SimFault,
  ) => sim.setFaults({ faults: [{ source, project, key, fault }] });

  beforeEach(async () => {
    sim = await startSimulator({ issues: ISSUES });
  });

  afterEach(async () => {
    await sim.close();
  });

  describe('status', () => {
    it('returns GitHub 503 with its JSON body', async () => {
      setIssueFault('github', 'octo/repo', '1', { status: 503 });
      const response = await readGitHub(1);

      expect(response.status).toBe(503);
      expect(response.json).toEqual({
        message: 'Service Unavailable',
        documentation_url: 'https://docs.github.com/graphql',
      });
    });

    it('returns GitHub 502 with the timeout body', async () => {
      setIssueFault('github', 'octo/repo', '1', { status: 502 });
      const response = await readGitHub(1);
      const body = response.json as {
        data: null;
        errors: Array<{ message: string }>;
      };

      expect(response.status).toBe(502);
      expect(body.data).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0]!.message).toMatch(
        /^Something went wrong while executing your query\. This may be the result of a timeout, or it could be a GitHub bug\. Please include `[0-9A-F:]+` when reporting this issue\.$/,
      );
    });

    it('returns GitHub 429 as a secondary limit', async () => {
      setIssueFault('github', 'octo/repo', '1', {
        status: 429,
        retryAfterSec: 30,
      });
      const response = await readGitHub(1);

      expect(response.status).toBe(429);
      expect(response.headers['retry-after']).toBe('30');
      expect(response.headers['x-ratelimit-remaining']).toBeUndefined();
      expect((response.json as { message: string }).message).toMatch(
        /^You have exceeded a secondary rate limit\./,
      );
      expect(response.text.startsWith('{\n  "documentation_url"')).toBe(true);
    });

    it('returns GitHub 403 without Retry-After as forbidden', async () => {
      setIssueFault('github', 'octo/repo', '1', { status: 403 });
      const response = await readGitHub(1);

      expect(response.status).toBe(403);
      expect(response.headers['retry-after']).toBeUndefined();
      expect(response.json).toEqual({
        message: 'Resource not accessible by personal access token',
        documentation_url: 'https://docs.github.com/graphql',
      });
    });

    it('returns Jira 403 with errorMessages', async () => {
      setIssueFault('jira', 'DEMO', '12', { status: 403 });
      const response = await readJira();

      expect(response.status).toBe(403);
      expect(response.json).toEqual({
        errorMessages: [
          'You do not have the permission to see the specified issue.',
        ],
        errors: {},
      });
    });

    it('returns Jira 429 with HTML and rate-limit headers', async () => {
      setIssueFault('jira', 'DEMO', '12', { status: 429, retryAfterSec: 7 });
      const response = await readJira();

      expect(response.status).toBe(429);
      expect(response.headers['content-type']).toBe('text/html;charset=UTF-8');
      expect(response.headers['retry-after']).toBe('7');
      expect(response.headers['x-ratelimit-remaining']).toBe('0');
      expect(response.headers['x-ratelimit-reset']).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
      );
      expect(response.text).toContain('<h1>Something went wrong</h1>');
    });

    it('returns Jira 503 as an HTML page', async () => {
      setIssueFault('jira', 'DEMO', '12', { status: 503 });
      const response = await readJira();

      expect(response.status).toBe(503);
      expect(response.headers['content-type']).toBe('text/html;charset=UTF-8');
      expect(response.text).toContain('error503');
    });

    it('returns a Launchpad outage as HTML', async () => {
      setIssueFault('launchpad', 'ubuntu', '1000001', { status: 502 });
      const response = await readLaunchpad();

      expect(response.status).toBe(502);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.text).toContain(
        '<title>Launchpad is temporarily unavailable</title>',
      );
    });
  });

  describe('times', () => {
    it('limits the fault to the first N requests', async () => {
      setIssueFault('jira', 'DEMO', '12', { status: 503, times: 2 });
      const statuses = [];
      for (let i = 0; i < 4; i += 1) {
        statuses.push((await readJira()).status);
      }

      expect(statuses).toEqual([503, 503, 200, 200]);
      expect(sim.stats().jira.faults).toBe(2);
    });

    it('counts a batch against every faulty issue it touches', async () => {
      sim.upsertIssues([
        { ...ISSUES[1]!, fault: { status: 503, times: 1 } },
        { ...ISSUES[2]!, fault: { status: 500, times: 1 } },
      ]);
      const batch = await postGraphql(sim.githubApiUrl, BATCH_QUERY);
      const third = await readGitHub(3);

      expect(batch.status).toBe(503);
      expect(third.status).toBe(200);
      expect(third.json).toEqual({
        data: { repository: { issue: { title: 'Third', state: 'OPEN' } } },
      });
    });
  });

  describe('batches', () => {
    it('fails the whole batch when one issue of it is faulty', async () => {
      setIssueFault('github', 'octo/repo', '2', { status: 500 });
      const batch = await postGraphql(sim.githubApiUrl, BATCH_QUERY);
      const alone = await readGitHub(1);

      expect(batch.status).toBe(500);
      expect(alone.status).toBe(200);
      const log = sim.requestLog();
      expect(log[0]!.issues).toEqual([
        'github:octo/repo#1',
        'github:octo/repo#2',
        'github:octo/repo#3',
      ]);
      expect(log[0]!.fault).toBe('status 500');
      expect(log[1]!.fault).toBeUndefined();
    });

    it('fails a Jira search that includes the faulty key', async () => {
      setIssueFault('jira', 'DEMO', '13', { status: 503 });
      const jql = encodeURIComponent('key in (DEMO-12, DEMO-13)');
      const search = await send(
        `${sim.jiraBaseUrl}/rest/api/3/search/jql?jql=${jql}`,
      );
      const other = await send(
        `${sim.jiraBaseUrl}/rest/api/3/search/jql?jql=${encodeURIComponent('key = DEMO-12')}`,
      );

      expect(search.status).toBe(503);
      expect(other.status).toBe(200);
    });

    it('applies a fault to an issue that does not exist', async () => {
      setIssueFault('jira', 'DEMO', '404', { status: 502 });
      const response = await readJira('DEMO-404');

      expect(response.status).toBe(502);
    });
  });

  describe('delay', () => {
    it('responds after delayMs', async () => {
      setIssueFault('launchpad', 'ubuntu', '1000001', { delayMs: 300 });
      const started = Date.now();
      const response = await readLaunchpad();
      const elapsed = Date.now() - started;

      expect(response.status).toBe(200);
      expect(elapsed).toBeGreaterThanOrEqual(295);
      expect(sim.requestLog()[0]!.fault).toBe('delay 300ms');
    });
  });

  describe('reset', () => {
    it('destroys the connection without a response', async () => {
      setIssueFault('github', 'octo/repo', '1', { reset: true });

      await expect(readGitHub(1)).rejects.toMatchObject({ code: 'ECONNRESET' });
      const stats = sim.stats();
      expect(stats.github.requests).toBe(1);
      expect(stats.github.byStatus).toEqual({ reset: 1 });
      expect(sim.requestLog()[0]!.status).toBeNull();
    });
  });

  describe('body', () => {
    it('sends malformed JSON with status 200', async () => {
      setIssueFault('jira', 'DEMO', '12', { body: 'malformed' });
      const response = await readJira();

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe(
        'application/json;charset=UTF-8',
      );
      expect(response.json).toBeUndefined();
      expect(response.text.endsWith(',}')).toBe(true);
      expect(() => JSON.parse(response.text)).toThrow(SyntaxError);
    });

    it('cuts the body short of Content-Length', async () => {
      setIssueFault('github', 'octo/repo', '1', { body: 'truncated' });

      await expect(readGitHub(1)).rejects.toThrow('response aborted');
      expect(sim.requestLog()[0]!.status).toBe(200);
    });

    it('sends an HTML page with status 200', async () => {
      setIssueFault('github', 'octo/repo', '1', { body: 'html' });
      const response = await readGitHub(1);

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.text).toContain(
        '<title>Unicorn! &middot; GitHub</title>',
      );
    });

    it('sends the body with every value of the wrong type', async () => {
      setIssueFault('jira', 'DEMO', '12', { body: 'wrong-shape' });
      const response = await readJira();
      const body = response.json as Record<string, unknown>;

      expect(response.status).toBe(200);
      expect(body.key).toBe('DEMO-12'.length);
      expect(body.id).toBe(5);
      expect(body.fields).toEqual({ summary: 'Add export'.length });
    });

    it('pads a huge body past the response size limits', async () => {
      setIssueFault('launchpad', 'ubuntu', '1000001', { body: 'huge' });
      const response = await readLaunchpad();
      const body = response.json as { id: number; padding: string };

      expect(response.status).toBe(200);
      expect(Number(response.headers['content-length'])).toBeGreaterThan(
        HUGE_PADDING_BYTES,
      );
      expect(body.id).toBe(1000001);
      expect(body.padding).toHaveLength(HUGE_PADDING_BYTES);
    });

    it('combines a status with an HTML body', async () => {
      setIssueFault('jira', 'DEMO', '12', { status: 500, body: 'html' });
      const response = await readJira();

      expect(response.status).toBe(500);
      expect(response.text).toContain('error500');
    });
  });

  describe('tracker faults', () => {
    it('applies to every request of that tracker only', async () => {
      sim.setFaults({ tracker: 'jira', fault: { status: 500 } });
      const myself = await send(`${sim.jiraBaseUrl}/rest/api/3/myself`);
      const issue = await readJira();
      const github = await readGitHub(1);

      expect(myself.status).toBe(500);
      expect(myself.json).toEqual({
        errorMessages: ['Internal server error'],
        errors: {},
      });
      expect(issue.status).toBe(500);
      expect(github.status).toBe(200);

      sim.setFaults({ tracker: 'jira', fault: null });
      expect((await readJira()).status).toBe(200);
    });

    it('honours times for a tracker fault', async () => {
      sim.setFaults({ tracker: 'launchpad', fault: { status: 503, times: 1 } });

      expect((await readLaunchpad()).status).toBe(503);
      expect((await readLaunchpad()).status).toBe(200);
    });
  });

  describe('from the data', () => {
    it('reads a fault given with the issue', async () => {
      sim.upsertIssues([{ ...ISSUES[3]!, fault: { status: 404, times: 1 } }]);
      const first = await readJira();
      const second = await readJira();

      expect(first.status).toBe(404);
      expect(first.json).toEqual({
        errorMessages: [
          'Issue does not exist or you do not have permission to see it.',
        ],
        errors: {},
      });
      expect(second.status).toBe(200);
    });
  });
});

describe('latency', () => {
  it('delays tracker responses, not control ones', async () => {
    const sim = await startSimulator({ issues: ISSUES, latencyMs: 250 });
    try {
      let started = Date.now();
      const response = await send(`${sim.launchpadApiUrl}/bugs/1000001`);
      const trackerElapsed = Date.now() - started;
      started = Date.now();
      await send(`${sim.url}/_sim/stats`);
      const controlElapsed = Date.now() - started;

      expect(response.status).toBe(200);
      expect(trackerElapsed).toBeGreaterThanOrEqual(245);
      expect(controlElapsed).toBeLessThan(245);
    } finally {
      await sim.close();
    }
  });

  it('adds at most jitterMs of random delay', async () => {
    const sim = await startSimulator({
      issues: ISSUES,
      latencyMs: 50,
      jitterMs: 100,
    });
    try {
      const durations: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        await send(`${sim.launchpadApiUrl}/bugs/1000001`);
      }
      for (const entry of sim.requestLog()) {
        durations.push(entry.durationMs);
      }

      expect(durations).toHaveLength(5);
      for (const duration of durations) {
        expect(duration).toBeGreaterThanOrEqual(49);
        expect(duration).toBeLessThan(400);
      }
    } finally {
      await sim.close();
    }
  });
});
