import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import readline from 'node:readline';
import { upsertIssues } from '@issue-sync/db';
import {
  IssueUrlError,
  parseIssueUrl,
  type IssueRef,
} from '@issue-sync/tracker-core';
import type { CommandContext } from '../context';
import { print, printError } from '../output';
import { ProgressLine } from '../progress';

/** Issues registered per database round trip. */
const CHUNK_SIZE = 1_000;

export interface ImportSummary {
  lines: number;
  created: number;
  existing: number;
  invalid: number;
}

/**
 * `issue-sync import FILE`: registers one issue URL per line, skipping blank
 * lines and `#` comments. The file is streamed, so memory stays flat however
 * long it is. Each invalid line is reported with its number and the rest
 * are imported; the exit code is 1 when any line was invalid.
 */
export async function importCommand(
  context: CommandContext,
  file: string,
): Promise<number> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    printError(`cannot read ${file}: check the path and its permissions`);
    return 1;
  }
  const input = createReadStream(file, { encoding: 'utf8' });
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  const progress = new ProgressLine(2_000);
  const summary: ImportSummary = {
    lines: 0,
    created: 0,
    existing: 0,
    invalid: 0,
  };
  let chunk: IssueRef[] = [];

  const flush = async (): Promise<void> => {
    const result = await upsertIssues(context.db, chunk);
    summary.created += result.created;
    summary.existing += result.existing;
    chunk = [];
    progress.update(
      input.bytesRead,
      size,
      `bytes read, ${summary.lines} lines, ${summary.created} new`,
    );
  };

  for await (const line of lines) {
    summary.lines += 1;
    const text = line.trim();
    if (text === '' || text.startsWith('#')) {
      continue;
    }
    try {
      chunk.push(
        parseIssueUrl(text, { jiraBaseUrl: context.config.jira.baseUrl }),
      );
    } catch (error) {
      if (!(error instanceof IssueUrlError)) {
        throw error;
      }
      summary.invalid += 1;
      printError(`${file}:${summary.lines}: ${error.message}`);
    }
    if (chunk.length >= CHUNK_SIZE) {
      await flush();
    }
  }
  await flush();
  print(
    `imported ${summary.lines} lines: ${summary.created} new, ${summary.existing} already registered, ${summary.invalid} invalid`,
  );

  return summary.invalid === 0 ? 0 : 1;
}
