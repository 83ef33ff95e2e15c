import { readFileSync } from 'node:fs';

import { SimInputError } from './input-checks';
import { parseDataFile } from './parse-issues';
import type { SimIssue } from './types';

/**
 * Reads and validates a data file, `{"issues": [...]}`. Throws SimInputError
 * naming the file and, for a bad entry, its index and field.
 */
export function loadDataFile(path: string): SimIssue[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new SimInputError(
      `cannot read data file ${path} (${code}); check the --data path`,
    );
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SimInputError(
      `data file ${path} is not valid JSON (${(error as Error).message}); expected {"issues": [...]}`,
    );
  }

  return parseDataFile(value, `data file ${path}`);
}
