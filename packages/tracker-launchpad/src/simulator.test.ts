import type { IssueRef, TrackerAdapter } from '@issue-sync/tracker-core';
import { startSimulator } from '@issue-sync/tracker-sim';
import type { SimIssue, Simulator } from '@issue-sync/tracker-sim';

import { createLaunchpadAdapter } from './launchpad-adapter';

const issues: SimIssue[] = [
  {
    source: 'launchpad',
    project: 'ubuntu',
    key: '1',
    title: 'Microsoft has a majority market share',
    status: 'Fix Released',
    labels: ['iso-testing'],
  },
  {
    source: 'launchpad',
    project: 'ubuntu',
    key: '2',
    title: 'Kernel meta package misses a dependency',
    labels: [],
    tasks: [
      { target: 'sahara', status: 'Invalid' },
      { target: 'linux-meta (Ubuntu)', status: 'Triaged' },
    ],
  },
  {
    source: 'launchpad',
    project: 'sahara',
    key: '3',
    title: 'Use graduated oslo.policy',
    tasks: [
      { target: 'barbican', status: 'Triaged' },
      { target: 'sahara', status: 'Fix Committed' },
    ],
  },
  {
    source: 'launchpad',
    project: 'ubuntu',
    key: '4',
    title: 'Embargoed security issue',
    status: 'New',
    private: true,
  },
];

let sim: Simulator;
let adapter: TrackerAdapter;

function ref(project: string, key: string): IssueRef {
  return { source: 'LAUNCHPAD', project, key };
}

beforeAll(async () => {
  sim = await startSimulator({ issues });
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.reset();
  sim.clearFaults();
  adapter = createLaunchpadAdapter({
    apiUrl: sim.launchpadApiUrl,
    timeoutMs: 5000,
    batchWindowMs: 5,
    batchSize: 50,
    maxResponseBytes: 5 * 1024 * 1024,
    userAgent: 'issue-sync-test/1.0',
  });
});

afterEach(async () => {
  await adapter.close();
});

describe('LaunchpadAdapter against the simulator', () => {
  it('reads a found bug with two requests', async () => {
    expect(await adapter.fetchIssue(ref('ubuntu', '1'))).toEqual({
      title: 'Microsoft has a majority market share',
      status: 'CLOSED',
      trackerStatus: 'Fix Released',
      labels: ['iso-testing'],
    });
    expect(sim.stats().launchpad.byEndpoint).toEqual({
      'GET /bugs/{id}': 1,
      'GET /bugs/{id}/bug_tasks': 1,
    });
  });

  it('chooses the source package task of the distribution', async () => {
    expect(await adapter.fetchIssue(ref('ubuntu', '2'))).toEqual({
      title: 'Kernel meta package misses a dependency',
      status: 'OPEN',
      trackerStatus: 'Triaged',
      labels: [],
    });
  });

  it('chooses the task of the project', async () => {
    expect(await adapter.fetchIssue(ref('sahara', '3'))).toEqual({
      title: 'Use graduated oslo.policy',
      status: 'OPEN',
      trackerStatus: 'Fix Committed',
      labels: [],
    });
  });

  it('falls back to the first task', async () => {
    const snapshot = await adapter.fetchIssue(ref('nova', '3'));
    expect(snapshot.trackerStatus).toBe('Triaged');
    expect(snapshot.status).toBe('OPEN');
  });

  it.each([
    ['missing', '999'],
    ['private', '4'],
  ])('reports a %s bug as not_found', async (_case, number) => {
    await expect(
      adapter.fetchIssue(ref('ubuntu', number)),
    ).rejects.toMatchObject({
      kind: 'not_found',
      httpStatus: 404,
      message: `Launchpad bug ${number} is missing or private (404 from Launchpad at ${sim.launchpadApiUrl}): anonymous readers cannot tell the two apart, so check the bug number in a browser while logged in`,
    });
  });

  it('reports an HTML 503 outage as unavailable', async () => {
    sim.setFaults({
      tracker: 'launchpad',
      fault: { status: 503, body: 'html' },
    });
    await expect(adapter.fetchIssue(ref('ubuntu', '1'))).rejects.toMatchObject({
      kind: 'unavailable',
      httpStatus: 503,
    });
  });

  it.each([
    ['malformed', 'invalid_response'],
    ['wrong-shape', 'invalid_response'],
    ['html', 'invalid_response'],
    ['truncated', 'network'],
  ] as const)('reports a %s body as %s', async (body, kind) => {
    sim.setFaults({ tracker: 'launchpad', fault: { body } });
    await expect(adapter.fetchIssue(ref('ubuntu', '1'))).rejects.toMatchObject({
      kind,
    });
  });

  it('recovers once a fault limited by times is spent', async () => {
    sim.setFaults({
      faults: [
        {
          source: 'launchpad',
          project: 'ubuntu',
          key: '1',
          fault: { status: 502, times: 2 },
        },
      ],
    });
    await expect(adapter.fetchIssue(ref('ubuntu', '1'))).rejects.toMatchObject({
      kind: 'unavailable',
    });
    expect((await adapter.fetchIssue(ref('ubuntu', '1'))).status).toBe(
      'CLOSED',
    );
  });

  it('reports anonymous access', async () => {
    expect(await adapter.checkCredentials()).toEqual({
      ok: true,
      summary: `Launchpad at ${sim.launchpadApiUrl} is read anonymously; no credentials are used`,
      warnings: [],
    });
  });
});
