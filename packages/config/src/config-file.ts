import { readFileSync, statSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { findClosestName } from './closest-name';
import { ConfigError } from './config-error';
import { OPTION_NAMES } from './config-options';

/** Top-level key under which the options may sit in a shared file. */
const NAMESPACE_KEY = 'issue-sync';

const FILE_KEYS = OPTION_NAMES.map((name) => name.toLowerCase());

/** What one configuration file contributes. */
export interface ConfigFileContents {
  /** Option values by variable name, as text. */
  values: Record<string, string>;
  /** Unknown keys and values of the wrong type, one line each. */
  problems: string[];
  /** Advice that does not stop start-up, such as a too-open file mode. */
  warnings: string[];
}

function describeReadFailure(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'it does not exist'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a directory'
          : `${code ?? 'read failed'}`;

  return `configuration file ${path} cannot be read: ${reason}. Check the path given in --config or ISSUE_SYNC_CONFIG`;
}

function checkFileMode(path: string, mode: number): string[] {
  // POSIX permission bits mean little on Windows, where Node fakes them.
  if (process.platform === 'win32' || (mode & 0o066) === 0) {
    return [];
  }

  const octal = (mode & 0o777).toString(8).padStart(3, '0');
  const access = mode & 0o022 ? 'readable or writable' : 'readable';

  return [
    `configuration file ${path} is ${access} by group or others (mode ${octal}) and may contain tokens: run chmod 600 ${path}`,
  ];
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseYaml(path: string, text: string): unknown {
  const document = parseDocument(text);
  const [error] = document.errors;
  if (error !== undefined) {
    // The parser's own message quotes the offending line, which may hold a
    // token, so only its code and position are reported.
    const position = error.linePos?.[0];
    const where =
      position === undefined
        ? ''
        : ` at line ${position.line}, column ${position.col}`;
    throw new ConfigError([
      `configuration file ${path} is not valid YAML: ${error.code}${where}`,
    ]);
  }

  return document.toJS();
}

function describeUnknownKey(key: string, path: string): string {
  const closest = findClosestName(key, FILE_KEYS);
  const advice =
    closest === undefined
      ? 'keys are the environment variable names in lower case, such as sync_interval'
      : `did you mean ${closest}?`;

  return `unknown key "${key}" in ${path}: ${advice}`;
}

function toText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  if (
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'bigint'
  ) {
    return String(value);
  }

  return undefined;
}

/**
 * Reads a YAML configuration file whose keys are the lower-case variable
 * names, at the top level or under an `issue-sync:` key. With that key
 * present, other top-level keys belong to other tools and are ignored.
 *
 * @throws ConfigError when the file cannot be read or is not valid YAML.
 */
export function readConfigFile(path: string): ConfigFileContents {
  let text: string;
  let mode: number;
  try {
    mode = statSync(path).mode;
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([describeReadFailure(path, error)]);
  }

  const warnings = checkFileMode(path, mode);
  const document = parseYaml(path, text);
  const root =
    isMapping(document) && NAMESPACE_KEY in document
      ? document[NAMESPACE_KEY]
      : document;
  if (root === null || root === undefined) {
    return { values: {}, problems: [], warnings };
  }
  if (!isMapping(root)) {
    throw new ConfigError([
      `configuration file ${path} must contain a mapping of option names to values, such as "sync_interval: 15m"`,
    ]);
  }

  const values: Record<string, string> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(root)) {
    if (!FILE_KEYS.includes(key)) {
      problems.push(describeUnknownKey(key, path));
      continue;
    }
    if (value === null || value === undefined) {
      continue;
    }

    const valueText = toText(value);
    if (valueText === undefined) {
      problems.push(
        `${key} in ${path} is a list or mapping: use a single value`,
      );
      continue;
    }
    values[key.toUpperCase()] = valueText;
  }

  return { values, problems, warnings };
}
