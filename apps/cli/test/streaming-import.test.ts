import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createTestDatabase,
  uniquePrefix,
  type TestDatabase,
} from '@issue-sync/test-support';
import { appEnvironment } from './environment';
import { runMeasuredCli, type MeasuredRun } from './measured-run';
import {
  DUPLICATES_PER_BLOCK,
  INVALID_PER_BLOCK,
  LINES_PER_BLOCK,
  NEW_PER_BLOCK,
  expectedErrorAt,
  writeImportFile,
} from './million-lines';

const JIRA_BASE_URL = 'http://127.0.0.1:9/jira';
const LINE_COUNT = 1_000_000;
const BASELINE_LINE_COUNT = 10_000;
const MEBIBYTE = 1024 * 1024;
/**
 * Growth allowed over the peak of a 10,000-line import of the same mix.
 * An import whose memory grew with its input would exceed it: the million
 * lines hold 26 MB of text and 110,000 issue references.
 */
const MAX_GROWTH_BYTES = 64 * MEBIBYTE;
const RUN_TIMEOUT_MS = 600_000;

/** The import's progress line, printed on stderr when it is not a terminal. */
const PROGRESS_LINE = /^\[[#-]{30}\] \d+\/\d+ bytes read, \d+ lines, \d+ new$/;

interface ReportCheck {
  reported: number;
  /** The first reports that differ from the expected ones, at most ten. */
  mismatches: Array<{ expected: string | undefined; reported: string }>;
}

/**
 * Creates a stderr line handler that compares each `FILE:LINE: message`
 * report with the next line that must be reported.
 */
function checkReports(
  file: string,
  check: ReportCheck,
): (line: string) => boolean {
  let nextIndex = 0;
  const nextExpected = (): string | undefined => {
    while (nextIndex < LINE_COUNT) {
      const index = nextIndex;
      nextIndex += 1;
      const message = expectedErrorAt(index, JIRA_BASE_URL);
      if (message !== undefined) {
        return `${file}:${index + 1}: ${message}`;
      }
    }
    return undefined;
  };

  return (line) => {
    if (!line.startsWith(`${file}:`)) {
      return false;
    }
    check.reported += 1;
    const expected = nextExpected();
    if (line !== expected && check.mismatches.length < 10) {
      check.mismatches.push({ expected, reported: line });
    }
    return true;
  };
}

describe('issue-sync import of a million lines', () => {
  const blocks = LINE_COUNT / LINES_PER_BLOCK;
  const newIssues =
    blocks *
    (NEW_PER_BLOCK.GITHUB + NEW_PER_BLOCK.JIRA + NEW_PER_BLOCK.LAUNCHPAD);
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'million-'));
  const file = path.join(directory, 'issues.txt');
  const baselineFile = path.join(directory, 'baseline.txt');
  const check: ReportCheck = { reported: 0, mismatches: [] };
  let db: TestDatabase;
  let baseline: MeasuredRun;
  let run: MeasuredRun;

  beforeAll(async () => {
    db = await createTestDatabase('million');
    const env = appEnvironment(db.url, uniquePrefix('million'), {
      githubApiUrl: 'http://127.0.0.1:9/github',
      jiraBaseUrl: JIRA_BASE_URL,
      launchpadApiUrl: 'http://127.0.0.1:9/launchpad/devel',
    });
    await writeImportFile(baselineFile, BASELINE_LINE_COUNT, JIRA_BASE_URL);
    await writeImportFile(file, LINE_COUNT, JIRA_BASE_URL);

    baseline = await runMeasuredCli(
      env,
      ['import', baselineFile],
      (line) => line.startsWith(`${baselineFile}:`),
      RUN_TIMEOUT_MS,
    );
    await db.query('TRUNCATE issue RESTART IDENTITY');
    run = await runMeasuredCli(
      env,
      ['import', file],
      checkReports(file, check),
      RUN_TIMEOUT_MS,
    );
  }, 2 * RUN_TIMEOUT_MS);

  afterAll(async () => {
    fs.rmSync(directory, { recursive: true, force: true });
    await db?.drop();
  });

  it('exits 1 for the invalid lines', () => {
    expect(baseline.code).toBe(1);
    expect(run.code).toBe(1);
  });

  it('reports every invalid line by number', () => {
    expect(check.mismatches).toEqual([]);
    expect(check.reported).toBe(blocks * INVALID_PER_BLOCK);
    for (const line of run.otherStderr) {
      expect(line).toMatch(PROGRESS_LINE);
    }
  });

  it('prints exact counts', () => {
    expect(run.stdout).toBe(
      `imported ${LINE_COUNT} lines: ${newIssues} new, ${blocks * DUPLICATES_PER_BLOCK} already registered, ${blocks * INVALID_PER_BLOCK} invalid\n`,
    );
  });

  it('registers every new issue', async () => {
    const rows = await db.query<{ source: string; count: string }>(
      'SELECT source, count(*) FROM issue GROUP BY source ORDER BY source',
    );

    expect(rows).toEqual([
      { source: 'GITHUB', count: String(blocks * NEW_PER_BLOCK.GITHUB) },
      { source: 'JIRA', count: String(blocks * NEW_PER_BLOCK.JIRA) },
      { source: 'LAUNCHPAD', count: String(blocks * NEW_PER_BLOCK.LAUNCHPAD) },
    ]);
  });

  // NOTE: this pins a known bug and passes while the bug exists. Lines are
  // read as a stream, but each upsertIssues call (a Prisma createMany of
  // 1,000 rows) takes about 0.4 s and keeps about 5 MB of heap after a full
  // GC. This import therefore peaks near 1 GB, against 250 MB for the
  // baseline. Make it a plain `it` once the peak stays within
  // MAX_GROWTH_BYTES.
  it.failing('keeps peak memory near a small import', () => {
    const growth = run.peakRssBytes - baseline.peakRssBytes;

    expect(baseline.peakRssBytes).toBeGreaterThan(0);
    expect({
      baselineMiB: Math.round(baseline.peakRssBytes / MEBIBYTE),
      peakMiB: Math.round(run.peakRssBytes / MEBIBYTE),
      withinBound: growth <= MAX_GROWTH_BYTES,
    }).toEqual({
      baselineMiB: Math.round(baseline.peakRssBytes / MEBIBYTE),
      peakMiB: Math.round(run.peakRssBytes / MEBIBYTE),
      withinBound: true,
    });
  });
});
