import { performance } from 'node:perf_hooks';

import { createLogger } from '@issue-sync/logger';

import { parseCliArguments } from './cli-options';
import { startSimulator } from './simulator';

async function main(): Promise<void> {
  const startedAt = performance.now();
  const settings = parseCliArguments(process.argv.slice(2));
  const { githubToken, jiraUser } = settings.simulator;
  const logger = createLogger({
    service: 'tracker-sim',
    level: settings.logLevel,
    secrets: [githubToken, jiraUser?.token].filter(
      (secret): secret is string => secret !== undefined,
    ),
  });

  let simulator;
  try {
    simulator = await startSimulator({ ...settings.simulator, logger });
  } catch (error) {
    logger.error('tracker-sim failed to start', { err: error });
    process.exitCode = 1;

    return;
  }

  // One line on stdout that a harness can wait for and read the URL from.
  logger.info('tracker-sim listening', {
    url: simulator.url,
    githubApiUrl: simulator.githubApiUrl,
    jiraBaseUrl: simulator.jiraBaseUrl,
    launchpadApiUrl: simulator.launchpadApiUrl,
    issues: simulator.issueCount(),
    startupMs: Math.round(performance.now() - startedAt),
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    simulator
      .close()
      .then(() => logger.info('tracker-sim stopped', { signal }))
      .catch((error: unknown) => {
        logger.error('tracker-sim failed to stop cleanly', {
          signal,
          err: error,
        });
        process.exitCode = 1;
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
