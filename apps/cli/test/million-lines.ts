import fs from 'node:fs';
import { acceptedForms } from './hostile-lines';

/**
 * A generated import file: blocks of 100 lines, each with 10 new issues
 * over the three trackers, one duplicate, five invalid lines, comments and
 * blank lines. Every count and every error message follows from the line
 * number alone, so the test can check them without keeping the file.
 */
export const LINES_PER_BLOCK = 100;

/** Per block: 6 GitHub, 2 Jira and 2 Launchpad issues. */
export const NEW_PER_BLOCK = { GITHUB: 6, JIRA: 2, LAUNCHPAD: 2 } as const;
export const DUPLICATES_PER_BLOCK = 1;
export const INVALID_PER_BLOCK = 5;

const FIRST_INVALID = 11;
const FIRST_COMMENT = 16;
const FIRST_BLANK = 40;

/** Returns the text of line `index` (0-based) of the file. */
export function lineAt(index: number, jiraBaseUrl: string): string {
  const block = Math.floor(index / LINES_PER_BLOCK);
  const slot = index % LINES_PER_BLOCK;
  if (slot < 6) {
    return `https://github.com/org-${block % 50}/repo-${slot}/issues/${block + 1}`;
  }
  if (slot < 8) {
    return `${jiraBaseUrl}/browse/PR${slot}-${block + 1}`;
  }
  if (slot < 10) {
    const bug = block * 2 + slot - 7;
    return `https://bugs.launchpad.net/proj-${block % 7}/+bug/${bug}`;
  }
  if (slot === 10) {
    return lineAt(index - 10, jiraBaseUrl);
  }
  if (slot < FIRST_COMMENT) {
    return invalidLine(block, slot - FIRST_INVALID, jiraBaseUrl).line;
  }
  if (slot < FIRST_BLANK) {
    return `# ${'-'.repeat(60)} ${index}`;
  }

  return slot % 2 === 0 ? '' : '   ';
}

function invalidLine(
  block: number,
  kind: number,
  jiraBaseUrl: string,
): { line: string; message: string } {
  const number = block + 1;
  switch (kind) {
    case 0: {
      const line = `https://github.com/org-1/repo-1/issues/0${number}`;
      return {
        line,
        message: `"${line}" is not an issue URL: issue number "0${number}" has leading zeros: write "${number}"`,
      };
    }
    case 1: {
      const line = `https://github.com.evil.com/org-1/repo-1/issues/${number}`;
      return {
        line,
        message: `"${line}" is not an issue URL: unknown host github.com.evil.com`,
      };
    }
    case 2: {
      const line = `${jiraBaseUrl}/browse/PR"${number}-1`;
      return {
        line,
        message: `"${line.replace('"', '\\"')}" is not an issue URL: Jira project key "PR\\"${number}" is invalid: use a letter followed by 1 to 9 letters, digits or "_"`,
      };
    }
    case 3: {
      const line = `https://bugs.launchpad.net/proj-1/+bug/-${number}`;
      return {
        line,
        message: `"${line}" is not an issue URL: issue number "-${number}" is not a decimal number`,
      };
    }
    default: {
      const line = `https://github.com/org-1/repo{1}/issues/${number}`;
      return {
        line,
        message: `"${line}" is not an issue URL: GitHub repository "repo{1}" is invalid: use 1 to 100 letters, digits, ".", "_" and "-"`,
      };
    }
  }
}

/**
 * Returns the error the import must print for line `index` (0-based), without the
 * `FILE:LINE: ` prefix, or undefined when the line is valid or skipped.
 */
export function expectedErrorAt(
  index: number,
  jiraBaseUrl: string,
): string | undefined {
  const slot = index % LINES_PER_BLOCK;
  if (slot < FIRST_INVALID || slot >= FIRST_COMMENT) {
    return undefined;
  }
  const { message } = invalidLine(
    Math.floor(index / LINES_PER_BLOCK),
    slot - FIRST_INVALID,
    jiraBaseUrl,
  );

  return `${message}. ${acceptedForms(jiraBaseUrl)}`;
}

/** Writes `lineCount` lines to `file` in chunks, never holding the whole file. */
export async function writeImportFile(
  file: string,
  lineCount: number,
  jiraBaseUrl: string,
): Promise<void> {
  if (lineCount % LINES_PER_BLOCK !== 0) {
    throw new Error(
      `line count ${lineCount} is not a multiple of ${LINES_PER_BLOCK}`,
    );
  }
  const stream = fs.createWriteStream(file);
  const linesPerChunk = 10_000;
  for (let start = 0; start < lineCount; start += linesPerChunk) {
    const lines: string[] = [];
    const end = Math.min(start + linesPerChunk, lineCount);
    for (let index = start; index < end; index += 1) {
      lines.push(lineAt(index, jiraBaseUrl));
    }
    if (!stream.write(`${lines.join('\n')}\n`)) {
      await new Promise<void>((resolve) =>
        stream.once('drain', () => resolve()),
      );
    }
  }
  await new Promise<void>((resolve, reject) => {
    stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
  });
}
