import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  startSimulator,
  type SimIssue,
  type Simulator,
} from '@issue-sync/tracker-sim';
import {
  AppProcess,
  createTestDatabase,
  runCli,
  uniquePrefix,
  type TestDatabase,
} from '@issue-sync/test-support';
import {
  GITHUB_TOKEN,
  JIRA_TOKEN,
  JIRA_USERNAME,
  appEnvironment,
} from './environment';
import {
  HOSTILE_FRAGMENTS,
  acceptedForms,
  expectedMessage,
  hostileLines,
  validLines,
  type HostileLine,
  type ValidLine,
} from './hostile-lines';
import { RecordingProxy } from './recording-proxy';
import { readRequestReferences } from './tracker-requests';

interface IssueRow {
  source: string;
  project: string;
  key: string;
  sync_status: string;
}

/** The import's progress line, printed on stderr when it is not a terminal. */
const PROGRESS_LINE = /^\[[#-]{30}\] \d+\/\d+ bytes read, \d+ lines, \d+ new$/;

type FileLine =
  | { kind: 'valid'; valid: ValidLine; ending: string }
  | { kind: 'hostile'; hostile: HostileLine; ending: string }
  | { kind: 'skipped'; text: string; ending: string };

/** A status each tracker's simulator accepts for an open issue. */
const OPEN_STATUS: Record<SimIssue['source'], string> = {
  github: 'OPEN',
  jira: 'To Do',
  launchpad: 'New',
};

function toSimIssue(valid: ValidLine): SimIssue {
  const source = valid.source.toLowerCase() as SimIssue['source'];
  const issue: SimIssue = {
    source,
    project: valid.project,
    key: valid.key,
    title: `${valid.source} ${valid.project} ${valid.key}`,
    status: OPEN_STATUS[source],
  };
  if (valid.key === '2000002') {
    issue.target = 'linux-meta (Ubuntu)';
  }

  return issue;
}

/**
 * Interleaves valid, hostile and skipped lines, ending some lines with
 * CRLF, and puts a duplicate of the first valid line at the end.
 */
function buildFile(valid: ValidLine[], hostile: HostileLine[]): FileLine[] {
  const lines: FileLine[] = [
    {
      kind: 'skipped',
      text: '# issues to import, with ../ and {"$x"}',
      ending: '\r\n',
    },
    { kind: 'skipped', text: '', ending: '\n' },
  ];
  const longest = Math.max(valid.length, hostile.length);
  for (let index = 0; index < longest; index += 1) {
    const ending = index % 2 === 0 ? '\r\n' : '\n';
    if (index < hostile.length) {
      lines.push({ kind: 'hostile', hostile: hostile[index]!, ending });
    }
    if (index < valid.length) {
      lines.push({ kind: 'valid', valid: valid[index]!, ending });
    }
  }
  lines.push(
    { kind: 'skipped', text: `# ${'x'.repeat(1024 * 1024)}`, ending: '\n' },
    { kind: 'skipped', text: ' \t ', ending: '\r\n' },
    { kind: 'valid', valid: valid[0]!, ending: '\n' },
  );

  return lines;
}

function toBytes(lines: FileLine[]): Buffer {
  return Buffer.concat(
    lines.map((entry) => {
      const text =
        entry.kind === 'valid'
          ? entry.valid.line
          : entry.kind === 'hostile'
            ? entry.hostile.line
            : entry.text;
      return Buffer.concat([
        Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'),
        Buffer.from(entry.ending),
      ]);
    }),
  );
}

function referenceOf(row: {
  source: string;
  project: string;
  key: string;
}): string {
  return `${row.source} ${row.project} ${row.key}`;
}

describe('issue-sync import', () => {
  let db: TestDatabase;
  let sim: Simulator;
  let proxy: RecordingProxy;
  let env: Record<string, string>;
  let worker: AppProcess | undefined;
  let jiraBaseUrl: string;
  let valid: ValidLine[];
  let hostile: HostileLine[];

  beforeAll(async () => {
    db = await createTestDatabase('hostile');
    proxy = new RecordingProxy();
    // The proxy forwards to the simulator, and the Jira lines name the
    // proxy's address, so the issues are added once both are listening.
    sim = await startSimulator({
      githubToken: GITHUB_TOKEN,
      jiraUser: { username: JIRA_USERNAME, token: JIRA_TOKEN },
      requestLogSize: 10_000,
    });
    await proxy.start(sim.url);
    jiraBaseUrl = `${proxy.url}/jira`;
    valid = validLines(jiraBaseUrl);
    hostile = hostileLines(jiraBaseUrl);
    sim.upsertIssues(valid.map(toSimIssue));
    env = appEnvironment(db.url, uniquePrefix('hostile'), {
      githubApiUrl: `${proxy.url}/github`,
      jiraBaseUrl,
      launchpadApiUrl: `${proxy.url}/launchpad/devel`,
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await proxy?.close();
    await sim?.close();
    await db?.drop();
  });

  describe('when the file mixes valid and hostile lines', () => {
    let file: string;
    let lines: FileLine[];
    let result: Awaited<ReturnType<typeof runCli>>;

    beforeAll(async () => {
      lines = buildFile(valid, hostile);
      file = path.join(os.tmpdir(), `hostile-${process.pid}.txt`);
      fs.writeFileSync(file, toBytes(lines));
      result = await runCli(env, ['import', file]);
    });

    afterAll(() => {
      fs.rmSync(file, { force: true });
    });

    it('exits 1', () => {
      expect(result.code).toBe(1);
    });

    it('reports every hostile line with its number and reason', () => {
      const expected = lines.flatMap((entry, index) =>
        entry.kind === 'hostile'
          ? [
              `${file}:${index + 1}: ${expectedMessage(entry.hostile, jiraBaseUrl)}`,
            ]
          : [],
      );
      const output = result.stderr.split('\n').filter((line) => line !== '');
      const reported = output.filter((line) => line.startsWith(`${file}:`));
      const others = output.filter((line) => !line.startsWith(`${file}:`));

      expect(expected).toHaveLength(hostile.length);
      // Besides the reports, stderr holds only the progress line.
      for (const line of others) {
        expect(line).toMatch(PROGRESS_LINE);
      }
      expect(reported).toHaveLength(expected.length);
      for (const [index, line] of expected.entries()) {
        expect(reported[index]).toBe(line);
      }
    });

    it('counts lines, new issues, duplicates and invalid lines', () => {
      const newIssues = new Set(valid.map(referenceOf)).size;
      expect(newIssues).toBe(10);
      expect(result.stdout).toBe(
        `imported ${lines.length} lines: ${newIssues} new, 1 already registered, ${hostile.length} invalid\n`,
      );
    });

    it('registers exactly the valid issues', async () => {
      const rows = await db.query<IssueRow>(
        'SELECT source, project, key, sync_status FROM issue ORDER BY source, project, key::bigint',
      );

      expect(
        rows.map((row) => `${referenceOf(row)} ${row.sync_status}`),
      ).toEqual([
        'GITHUB canonical/checkbox 1 NEVER_SYNCED',
        'GITHUB canonical/checkbox 2 NEVER_SYNCED',
        'GITHUB canonical/checkbox 2147483647 NEVER_SYNCED',
        'GITHUB octo-org/octo.repo_x-1 3 NEVER_SYNCED',
        'JIRA DEMO 10 NEVER_SYNCED',
        'JIRA DEMO 12 NEVER_SYNCED',
        'JIRA OPS_2 11 NEVER_SYNCED',
        'LAUNCHPAD checkbox-ng 2000003 NEVER_SYNCED',
        'LAUNCHPAD ubuntu 2000001 NEVER_SYNCED',
        'LAUNCHPAD ubuntu 2000002 NEVER_SYNCED',
      ]);
    });
  });

  describe('when a worker syncs the imported issues', () => {
    let syncOutput: Awaited<ReturnType<typeof runCli>>;

    beforeAll(async () => {
      worker = new AppProcess('worker', env);
      await worker.waitForLog((line) => line.message === 'worker started');
      syncOutput = await runCli(env, ['sync', '--all', '--wait']);
    });

    it('syncs every valid issue', async () => {
      expect(syncOutput.code).toBe(0);
      expect(syncOutput.stdout).toContain('done: 10 synced, 0 failed');
      const rows = await db.query<IssueRow>(
        "SELECT source, project, key, sync_status FROM issue WHERE sync_status <> 'SYNCED'",
      );
      expect(rows).toEqual([]);
    });

    it('sends trackers only the valid projects and keys', () => {
      const allowed = new Set(
        valid.map((line) =>
          line.source === 'LAUNCHPAD'
            ? `LAUNCHPAD * ${line.key}`
            : referenceOf(line),
        ),
      );
      const allowedProjects = new Set(
        valid
          .filter((line) => line.source === 'GITHUB')
          .map((line) => line.project),
      );
      const requested = new Set<string>();

      expect(proxy.requests.length).toBeGreaterThan(0);
      for (const request of proxy.requests) {
        const references = readRequestReferences(request);
        for (const issue of references.issues) {
          expect({
            request: request.url,
            issue,
            allowed: allowed.has(issue),
          }).toEqual({
            request: request.url,
            issue,
            allowed: true,
          });
          requested.add(issue);
        }
        for (const project of references.githubProjects) {
          expect(allowedProjects.has(project.toLowerCase())).toBe(true);
        }
        const sent = [request.url, ...references.values].join('\n');
        for (const fragment of HOSTILE_FRAGMENTS) {
          expect({
            request: request.url,
            fragment,
            found: sent.includes(fragment),
          }).toEqual({
            request: request.url,
            fragment,
            found: false,
          });
        }
        for (const value of references.values) {
          expect(references.graphqlDocument ?? '').not.toContain(`"${value}"`);
        }
      }
      expect([...requested].sort()).toEqual([...allowed].sort());
    });

    it('logs in the simulator only requests for valid issues', () => {
      const allowed = new Set(
        valid.map((line) => {
          if (line.source === 'GITHUB') {
            return `github:${line.project}#${line.key}`;
          }
          return line.source === 'JIRA'
            ? `jira:${line.project}-${line.key}`
            : `launchpad:${line.key}`;
        }),
      );
      const log = sim.requestLog();
      const touched = new Set(log.flatMap((entry) => entry.issues));

      expect(log).toHaveLength(proxy.requests.length);
      expect([...touched].sort()).toEqual([...allowed].sort());
      for (const entry of log) {
        expect(entry.status).toBe(200);
        expect(entry.path).not.toMatch(/\.\.|%|evil/);
        expect(JSON.stringify(entry.query)).not.toMatch(/\.\.|%|evil|\$/);
      }
      expect(sim.stats().unmatched).toBe(0);
    });
  });

  // NOTE: this pins a known bug and passes while the bug exists. The import
  // reads lines with node:readline, which also ends a line at a lone "\r",
  // so the two halves are parsed as two URLs and every later line number is
  // one higher than an editor shows. Make it a plain `it` once the import
  // splits lines at "\n" (after an optional "\r") only.
  it.failing(
    'reports a stray carriage return at its own line number',
    async () => {
      const file = path.join(os.tmpdir(), `stray-cr-${process.pid}.txt`);
      const first = 'https://github.com/canonical/stray-cr/issues/1';
      const joined =
        'https://github.com/canonical/stray-cr/issues/2\rhttps://github.com/canonical/stray-cr/issues/3';
      const last = 'https://github.com/canonical/stray-cr/issues/04';
      fs.writeFileSync(file, `${first}\n${joined}\n${last}\n`);
      try {
        const stray = await runCli(env, ['import', file]);

        const reported = stray.stderr
          .split('\n')
          .filter((line) => line.startsWith(`${file}:`));

        expect(reported).toEqual([
          `${file}:2: "https://github.com/canonical/stray-cr/issues/2\\rhttps://github.com/canonical/stray-cr/issues/3" is not an issue URL: it contains a control character. ${acceptedForms(jiraBaseUrl)}`,
          `${file}:3: "https://github.com/canonical/stray-cr/issues/04" is not an issue URL: issue number "04" has leading zeros: write "4". ${acceptedForms(jiraBaseUrl)}`,
        ]);
        expect(stray.stdout).toBe(
          'imported 3 lines: 1 new, 0 already registered, 2 invalid\n',
        );
        const rows = await db.query<{ key: string }>(
          "SELECT key FROM issue WHERE project = 'canonical/stray-cr' ORDER BY key",
        );
        expect(rows).toEqual([{ key: '1' }]);
      } finally {
        fs.rmSync(file, { force: true });
      }
    },
  );
});
