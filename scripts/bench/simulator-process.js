const { ChildApp } = require('./processes');
const { appMain } = require('./workspace');

/**
 * Starts `tracker-sim` as its own process, so its CPU time is neither the
 * bench's nor the workers', serving `issues` generated issues.
 */
async function startSimulatorProcess({
  issues,
  seed,
  latencyMs,
  credentials,
  githubPointsPerHour,
}) {
  const app = new ChildApp(
    'tracker-sim',
    appMain('tracker-sim'),
    [
      '--port',
      '0',
      '--generate',
      String(issues),
      '--seed',
      String(seed),
      '--latency-ms',
      String(latencyMs),
      '--github-token',
      credentials.githubToken,
      '--jira-username',
      credentials.jiraUsername,
      '--jira-token',
      credentials.jiraToken,
      '--github-points-per-hour',
      String(githubPointsPerHour),
      '--log-level',
      'info',
    ],
    { PATH: process.env.PATH ?? '' },
  );
  let ready;
  try {
    ready = await app.waitForLog(
      (line) => line.message === 'tracker-sim listening',
      120_000,
    );
  } catch (error) {
    await app.stop(5_000);
    throw error;
  }

  const control = async (method, path) => {
    const response = await fetch(`${ready.url}${path}`, { method });
    if (!response.ok) {
      throw new Error(
        `tracker-sim ${method} ${path} returned ${response.status}: ${await response.text()}`,
      );
    }

    return response.json();
  };

  return {
    app,
    url: ready.url,
    githubApiUrl: ready.githubApiUrl,
    jiraBaseUrl: ready.jiraBaseUrl,
    launchpadApiUrl: ready.launchpadApiUrl,
    issueCount: ready.issues,
    stats: () => control('GET', '/_sim/stats'),
    reset: () => control('POST', '/_sim/reset'),
    stop: () => app.stop(10_000),
  };
}

module.exports = { startSimulatorProcess };
