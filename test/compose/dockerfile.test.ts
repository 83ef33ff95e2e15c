import { DockerfileParser } from 'dockerfile-ast';
import type { Copy, Env, Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { readRepoFile } from './compose-model';

const text = readRepoFile('Dockerfile');
const dockerfile = DockerfileParser.parse(text);

/** Instructions of each build stage, by stage name. */
function stages(): Map<string, Instruction[]> {
  const result = new Map<string, Instruction[]>();
  let current: Instruction[] | undefined;
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      current = [];
      const name = /\bAS\s+(\S+)$/i.exec(
        instruction.getArgumentsContent() ?? '',
      )?.[1];
      result.set(name ?? `stage-${result.size}`, current);
    }
    current?.push(instruction);
  }

  return result;
}

function stage(name: string): Instruction[] {
  const found = stages().get(name);
  if (found === undefined) {
    throw new Error(`the Dockerfile has no stage ${name}`);
  }

  return found;
}

function runCommands(name: string): string[] {
  return stage(name)
    .filter((instruction) => instruction.getKeyword() === 'RUN')
    .map((instruction) =>
      (instruction.getArgumentsContent() ?? '').replace(/\s+/g, ' '),
    );
}

function envOf(name: string): Record<string, string | null> {
  return Object.fromEntries(
    stage(name)
      .filter((instruction) => instruction.getKeyword() === 'ENV')
      .flatMap((instruction) => (instruction as Env).getProperties())
      .map((property) => [property.getName(), property.getValue()]),
  );
}

describe('Dockerfile', () => {
  it('has no lint diagnostics from dockerfile-utils', () => {
    const diagnostics = validate(text).map((diagnostic) => ({
      line: diagnostic.range.start.line + 1,
      message: diagnostic.message,
    }));

    expect(diagnostics).toEqual([]);
  });

  it('is linted by a checker that reports mistakes', () => {
    const messages = validate(
      'FROM node\nMAINTAINER someone\nCOPY --bogus=a b c\n',
    ).map((diagnostic) => diagnostic.message);

    expect(messages.sort()).toEqual([
      'MAINTAINER has been deprecated',
      'Unknown flag: bogus',
    ]);
  });

  it('builds in the stages base, build, prod and runtime', () => {
    expect([...stages().keys()]).toEqual(['base', 'build', 'prod', 'runtime']);
  });

  it('starts from Node 20 on Debian slim', () => {
    const arg = dockerfile
      .getARGs()
      .find(
        (instruction) => instruction.getProperty()?.getName() === 'NODE_IMAGE',
      );

    expect(arg?.getProperty()?.getValue()).toBe('node:20-bookworm-slim');
    expect(stage('base')[0]?.getArgumentsContent()).toBe(
      '${NODE_IMAGE} AS base',
    );
  });

  it('installs the pnpm version of packageManager with npm', () => {
    const packageManager: string = JSON.parse(
      readRepoFile('package.json'),
    ).packageManager;

    expect(packageManager).toBe('pnpm@10.34.9');
    expect(runCommands('base')).toContain(
      `npm install --global ${packageManager} && npm cache clean --force`,
    );
  });

  it('installs from the lockfile and builds every package', () => {
    expect(runCommands('build')).toEqual([
      'pnpm fetch --store-dir="$PNPM_STORE_DIR"',
      'pnpm install --frozen-lockfile --offline --store-dir="$PNPM_STORE_DIR"',
      'pnpm build',
    ]);
  });

  it('keeps only production dependencies', () => {
    expect(runCommands('prod')).toEqual([
      'rm -rf node_modules apps/*/node_modules packages/*/node_modules tooling/*/node_modules && pnpm install --frozen-lockfile --offline --prod --store-dir="$PNPM_STORE_DIR"',
      'sh docker/collect-runtime.sh /out',
    ]);
  });

  describe('runtime stage', () => {
    const runtime = stage('runtime');

    it('is the last stage, so a plain build produces it', () => {
      expect([...stages().keys()].at(-1)).toBe('runtime');
    });

    it('copies only the collected production files', () => {
      const copies = runtime.filter(
        (instruction) => instruction.getKeyword() === 'COPY',
      ) as Copy[];

      expect(
        copies.map((copy) => [
          copy.getFromFlag()?.getValue(),
          copy.getArgumentsContent(),
        ]),
      ).toEqual([['prod', '/out /app']]);
    });

    it('sets NODE_ENV=production and LOG_FORMAT=json', () => {
      expect(envOf('runtime')).toEqual({
        NODE_ENV: 'production',
        LOG_FORMAT: 'json',
      });
    });

    it('installs tini for signal handling', () => {
      expect(runCommands('runtime')[0]).toBe(
        'apt-get update && apt-get install --yes --no-install-recommends tini && rm -rf /var/lib/apt/lists/*',
      );
    });

    it('runs as the non-root node user', () => {
      const users = runtime.filter(
        (instruction) => instruction.getKeyword() === 'USER',
      );

      expect(users.map((user) => user.getArgumentsContent())).toEqual(['node']);
    });

    it('declares a health check', () => {
      const checks = runtime.filter(
        (instruction) => instruction.getKeyword() === 'HEALTHCHECK',
      );

      expect(checks).toHaveLength(1);
    });
  });
});

describe('.dockerignore', () => {
  const patterns = readRepoFile('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  it.each([
    '.git',
    '**/node_modules',
    '**/dist',
    '.env',
    '.env.*',
    'packages/db/src/generated',
  ])('keeps %s out of the build context', (pattern) => {
    expect(patterns).toContain(pattern);
  });

  it('re-includes nothing', () => {
    expect(patterns.filter((pattern) => pattern.startsWith('!'))).toEqual([]);
  });
});
