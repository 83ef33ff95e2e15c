import fs from 'node:fs';
import path from 'node:path';

/**
 * Returns the folder of recorded tracker responses, which lives beside the
 * repository as `shared/fixtures`. The repository root is the nearest folder
 * above this file that contains pnpm-workspace.yaml.
 */
export function findFixturesDir(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'pnpm-workspace.yaml'))) {
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(
        `No pnpm-workspace.yaml above ${__dirname}: cannot locate the ` +
          `repository root, so the tracker fixtures cannot be found`,
      );
    }
    dir = parent;
  }

  const fixturesDir = path.resolve(dir, '..', 'shared', 'fixtures');
  if (!fs.existsSync(fixturesDir)) {
    throw new Error(
      `Tracker fixtures not found at ${fixturesDir}: these tests replay ` +
        `recorded response bodies from the shared/fixtures folder beside ` +
        `the repository; check it out there`,
    );
  }

  return fixturesDir;
}

/** Reads one fixture body, such as `jira/error-404-issue-not-found.json`. */
export function readFixture(name: string): string {
  const file = path.join(findFixturesDir(), name);
  if (!fs.existsSync(file)) {
    throw new Error(`Fixture ${name} not found at ${file}`);
  }

  return fs.readFileSync(file, 'utf8');
}

/** Reads and parses one JSON fixture. */
export function readJsonFixture<T = unknown>(name: string): T {
  return JSON.parse(readFixture(name)) as T;
}
