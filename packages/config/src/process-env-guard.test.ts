import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * Files allowed to read process.env, each with the reason. Paths are exact,
 * so a new file in the same folder is still checked.
 */
const ALLOWED: Readonly<Record<string, string>> = {};

function listTypeScriptFiles(directory: string): string[] {
  let entries;
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch {
    // An app or package without a src folder has nothing to check.
    return [];
  }

  return entries.flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      // Generated code, such as the Prisma client, is not ours to change.
      return entry.name === 'node_modules' || entry.name === 'generated'
        ? []
        : listTypeScriptFiles(path);
    }

    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')
      ? [path]
      : [];
  });
}

function listSourceFolders(): string[] {
  return ['apps', 'packages'].flatMap((group) =>
    readdirSync(join(ROOT, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .filter((entry) => !(group === 'packages' && entry.name === 'config'))
      .map((entry) => join(ROOT, group, entry.name, 'src')),
  );
}

describe('process.env access', () => {
  it('happens only in packages/config', () => {
    const offenders = listSourceFolders()
      .flatMap(listTypeScriptFiles)
      .filter((path) => readFileSync(path, 'utf8').includes('process.env'))
      .map((path) => relative(ROOT, path).split(sep).join('/'))
      .filter((path) => ALLOWED[path] === undefined);

    // Other code takes the typed AppConfig from loadConfig instead, so one
    // place validates every variable.
    expect(offenders).toEqual([]);
  });

  it('finds the source folders it scans', () => {
    const folders = listSourceFolders().map((path) => relative(ROOT, path));

    expect(folders).toContain(join('packages', 'logger', 'src'));
    expect(folders).toContain(join('apps', 'worker', 'src'));
    expect(folders).not.toContain(join('packages', 'config', 'src'));
  });
});
