const { performance } = require('node:perf_hooks');

const { waitForQuietMachine } = require('./machine');
const { loadBuilt } = require('./workspace');

const db = loadBuilt('packages/db');
const { createGithubAdapter } = loadBuilt('packages/tracker-github');
const { createJiraAdapter } = loadBuilt('packages/tracker-jira');
const { createLaunchpadAdapter } = loadBuilt('packages/tracker-launchpad');

const SOURCES = ['GITHUB', 'JIRA', 'LAUNCHPAD'];

/**
 * Picks `sample` issue ids spread evenly over the table, the same share
 * from each tracker, so the per-tracker means can be weighted by the
 * trackers' real counts.
 */
async function pickSample(database, sample) {
  const rows = await database.issue.findMany({
    select: { id: true, source: true },
    orderBy: { id: 'asc' },
  });
  const perTracker = Math.ceil(sample / SOURCES.length);
  const picked = [];
  for (const source of SOURCES) {
    const ids = rows.filter((row) => row.source === source).map((r) => r.id);
    const count = Math.min(perTracker, ids.length);
    for (let i = 0; i < count; i += 1) {
      picked.push({ id: ids[Math.floor((i * ids.length) / count)], source });
    }
  }

  return picked.sort((a, b) => a.id - b.id);
}

function createAdapters(context) {
  // One issue per request and no batch window: what a loop that awaits
  // each issue before asking for the next one gets.
  const common = {
    timeoutMs: 15_000,
    batchWindowMs: 0,
    batchSize: 1,
    maxResponseBytes: 5 * 1024 * 1024,
    userAgent: 'issue-sync-bench/0.1.0',
  };
  const { credentials, sim } = context;

  return {
    GITHUB: createGithubAdapter({
      ...common,
      token: credentials.githubToken,
      apiUrl: sim.githubApiUrl,
    }),
    JIRA: createJiraAdapter({
      ...common,
      baseUrl: sim.jiraBaseUrl,
      username: credentials.jiraUsername,
      token: credentials.jiraToken,
    }),
    LAUNCHPAD: createLaunchpadAdapter({
      ...common,
      apiUrl: sim.launchpadApiUrl,
    }),
  };
}

/**
 * Syncs a sample of issues one after another with the real adapters and
 * no queue: read the row, fetch the issue, store the snapshot, then the
 * next. Returns the mean time per issue of each tracker and the estimate
 * for all issues that follows from them.
 */
async function measureSequential(context) {
  const { options, sim, log } = context;
  const machineBefore = await waitForQuietMachine(log, options.maxQuietWaitMs);
  await sim.reset();
  const database = db.createDatabase({ url: context.databaseUrl, poolSize: 1 });
  const adapters = createAdapters(context);
  const durationsMs = { GITHUB: [], JIRA: [], LAUNCHPAD: [] };
  try {
    const sample = await pickSample(database, options.sample);
    // The first request of each tracker opens its connection; leave it out.
    for (const source of SOURCES) {
      const first = sample.find((row) => row.source === source);
      const issue = await db.getIssue(database, first.id);
      await adapters[source].fetchIssue(issue);
    }
    await sim.reset();

    const started = performance.now();
    for (const row of sample) {
      const issueStarted = performance.now();
      const issue = await db.getIssue(database, row.id);
      const snapshot = await adapters[row.source].fetchIssue({
        source: issue.source,
        project: issue.project,
        key: issue.key,
      });
      await db.recordSyncSuccess(database, issue.id, snapshot, new Date());
      durationsMs[row.source].push(performance.now() - issueStarted);
    }
    const sampleSeconds = (performance.now() - started) / 1000;
    const stats = await sim.stats();
    const meanMs = {};
    let estimateSeconds = 0;
    for (const source of SOURCES) {
      const values = durationsMs[source];
      meanMs[source] = values.reduce((a, b) => a + b, 0) / values.length;
      estimateSeconds += (meanMs[source] * context.issueCounts[source]) / 1000;
    }

    return {
      configuration: 'sequential',
      machineBefore,
      sampleSize: sample.length,
      sampleSeconds,
      meanMs,
      estimateSeconds,
      requests: {
        GITHUB: stats.github,
        JIRA: stats.jira,
        LAUNCHPAD: stats.launchpad,
      },
      sampleCounts: Object.fromEntries(
        SOURCES.map((source) => [source, durationsMs[source].length]),
      ),
    };
  } finally {
    await Promise.all(Object.values(adapters).map((a) => a.close()));
    await database.$disconnect();
  }
}

module.exports = { measureSequential };
