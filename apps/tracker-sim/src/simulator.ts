import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

import { loadDataFile } from './data-file';
import { generateIssues } from './generate-issues';
import { textReply, writeReply } from './http-reply';
import { parseSimIssues } from './parse-issues';
import { RunningSimulator } from './running-simulator';
import {
  checkOptions,
  type Simulator,
  type SimulatorOptions,
} from './simulator-options';
import type { SimIssue } from './types';

export type { Simulator, SimulatorOptions } from './simulator-options';

function formatOrigin(host: string, port: number): string {
  const name = host.includes(':') ? `[${host}]` : host;

  return `http://${name}:${port}`;
}

function collectIssues(options: SimulatorOptions): SimIssue[] {
  const generate = options.generate;
  const generated =
    generate === undefined ? [] : generateIssues(generate.count, generate.seed);

  // concat, because spreading 100,000 issues into push() is slow.
  return generated.concat(
    options.dataFile === undefined ? [] : loadDataFile(options.dataFile),
    options.issues === undefined
      ? []
      : parseSimIssues(options.issues, 'issues'),
  );
}

/**
 * Starts the tracker simulator: GitHub GraphQL at `/github/graphql`, Jira
 * Cloud REST v3 at `/jira/rest/api/3`, Launchpad's devel web service at
 * `/launchpad/devel` and control endpoints at `/_sim`. Generated issues come
 * first, then the data file, then `issues`, and later issues replace earlier
 * ones with the same reference.
 *
 * @throws SimInputError when an option or an issue is invalid.
 */
export async function startSimulator(
  options: SimulatorOptions = {},
): Promise<Simulator> {
  checkOptions(options);
  const issues = collectIssues(options);
  const host = options.host ?? '127.0.0.1';

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const simulator = new RunningSimulator(
    server,
    formatOrigin(host, port),
    options,
  );
  simulator.storeIssues(issues);

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    simulator.onRequest(req, res).catch((error: unknown) => {
      options.logger?.error('request handling failed', {
        err: error,
      });
      if (!res.headersSent) {
        writeReply(
          res,
          textReply(500, 'tracker-sim failed to respond; see its log'),
        );
      } else {
        res.destroy();
      }
    });
  });

  return simulator;
}
