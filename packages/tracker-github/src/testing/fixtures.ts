import fs from 'node:fs';
import path from 'node:path';

/** A recorded GitHub response: status, headers and the body as sent. */
export interface RecordedFixture {
  status: number;
  headers: Record<string, string>;
  body: string;
}

// Headers that describe the recorded transfer, not the body replayed here.
const TRANSFER_HEADERS = new Set([
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'status',
]);

let cachedDirectory: string | undefined;

/**
 * Finds shared/fixtures/github: in this checkout it sits beside the
 * repository, in CI beside the clone, so every ancestor is tried.
 */
export function findGithubFixturesDirectory(): string {
  if (cachedDirectory !== undefined) {
    return cachedDirectory;
  }

  const searched: string[] = [];
  let current = __dirname;
  for (;;) {
    const candidate = path.join(current, 'shared', 'fixtures', 'github');
    searched.push(candidate);
    if (fs.existsSync(path.join(candidate, 'graphql-issue-open.json'))) {
      cachedDirectory = candidate;
      return candidate;
    }
    const parent = path.dirname(current);
    if (parent === current) {
      break;
    }
    current = parent;
  }

  throw new Error(
    `GitHub response fixtures not found: expected shared/fixtures/github beside the repository; searched ${searched.join(', ')}`,
  );
}

/** Reads `<name>.json` and, when present, its `.headers.json` sidecar. */
export function readFixture(name: string): RecordedFixture {
  const directory = findGithubFixturesDirectory();
  // The files end with a newline that was not part of the response.
  const body = fs
    .readFileSync(path.join(directory, `${name}.json`), 'utf8')
    .replace(/\n$/, '');
  const sidecarPath = path.join(directory, `${name}.headers.json`);
  if (!fs.existsSync(sidecarPath)) {
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body,
    };
  }

  const sidecar = JSON.parse(fs.readFileSync(sidecarPath, 'utf8')) as {
    status: number;
    headers: Record<string, string>;
  };
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(sidecar.headers)) {
    if (!TRANSFER_HEADERS.has(key.toLowerCase())) {
      headers[key.toLowerCase()] = value;
    }
  }

  return { status: sidecar.status, headers, body };
}

/** Parses a fixture body and returns the value at `pathInBody`. */
export function readFixtureValue(name: string, pathInBody: string[]): unknown {
  let value: unknown = JSON.parse(readFixture(name).body);
  for (const key of pathInBody) {
    value = (value as Record<string, unknown>)[key];
  }

  return value;
}
