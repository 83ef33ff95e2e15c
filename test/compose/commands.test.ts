import fs from 'node:fs';
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { REPO_ROOT, readComposeFile, readRepoFile } from './compose-model';

// Every program that docker-compose.yml and the Dockerfile start must exist
// in the repository once it is built. dist/ is not built when tests run, so
// each built path is traced back to the TypeScript source it comes from.

const IMAGE_ROOT = '/app/';
const ENTRYPOINT = ['/usr/bin/tini', '--', '/app/docker/entrypoint.sh'];

const rootScripts: Record<string, string> = JSON.parse(
  readRepoFile('package.json'),
).scripts;

/** Repository path of a path inside the image (working directory /app). */
function repoPath(imagePath: string): string {
  return imagePath.startsWith(IMAGE_ROOT)
    ? imagePath.slice(IMAGE_ROOT.length)
    : imagePath;
}

/** Source file that `pnpm build` compiles to a dist/ path. */
function sourceOf(file: string): string {
  const match = /^((?:apps|packages)\/[^/]+)\/dist\/(.+)\.js$/.exec(file);

  return match === null ? file : `${match[1]}/src/${match[2]}.ts`;
}

function looksLikeRepoPath(arg: string): boolean {
  return /^(?:\/app\/)?(?:apps|packages|docker|demo|prisma)\//.test(arg);
}

function shellCommandFiles(script: string): string[] {
  return script
    .split('&&')
    .map((part) => part.trim().replace(/^exec /, ''))
    .flatMap((part) => filesNeededBy(part.split(/\s+/)));
}

/** Repository files a shell script names, such as apps/cli/dist/main.js. */
function shellScriptFiles(script: string): string[] {
  const words = readRepoFile(script).split(/[\s"'>]+/);

  const files = words
    .filter(looksLikeRepoPath)
    .map((word) => sourceOf(repoPath(word)));

  return [...new Set(files)];
}

/** Files of the repository that one command line needs. */
function filesNeededBy(argv: readonly string[]): string[] {
  const [program, ...args] = argv;
  switch (program) {
    case 'node':
      return args
        .filter(looksLikeRepoPath)
        .map((arg) => sourceOf(repoPath(arg)));
    case 'sh':
      return args[0] === '-c'
        ? shellCommandFiles(args[1] ?? '')
        : [args[0] ?? '', ...shellScriptFiles(args[0] ?? '')];
    case 'pnpm': {
      const script = rootScripts[args[0] ?? ''];
      expect({ script: args[0], defined: script !== undefined }).toEqual({
        script: args[0],
        defined: true,
      });
      return filesNeededBy((script ?? '').split(/\s+/));
    }
    case 'cp':
      return [repoPath(args[0] ?? '')];
    case 'rm':
      return [];
    default:
      throw new Error(
        `no rule for the program ${program} in ${argv.join(' ')}`,
      );
  }
}

function expectFilesExist(files: readonly string[]) {
  for (const file of files) {
    expect({ file, exists: fs.existsSync(path.join(REPO_ROOT, file)) }).toEqual(
      { file, exists: true },
    );
  }
}

describe('commands of docker-compose.yml', () => {
  const file = readComposeFile({ POSTGRES_PASSWORD: 'compose-test' });

  it.each([
    ['migrate', ['packages/db/src/migrate-cli.ts']],
    ['scheduler', ['apps/scheduler/src/main.ts']],
    ['worker', ['apps/worker/src/main.ts']],
    ['dashboard', ['apps/dashboard/src/main.ts']],
    ['issue-sync', ['apps/cli/src/main.ts']],
    ['tracker-sim', ['apps/tracker-sim/src/main.ts', 'demo/sim-data.json']],
    ['demo-settings', ['docker/demo.env']],
    [
      'demo-import',
      ['docker/demo-import.sh', 'demo/issues.txt', 'apps/cli/src/main.ts'],
    ],
  ])('%s runs files that exist: %j', (name, expected) => {
    const service = file.services[name];
    const entrypoint = service?.entrypoint ?? ENTRYPOINT;

    expect(entrypoint.slice(0, ENTRYPOINT.length)).toEqual(ENTRYPOINT);
    const argv = [
      ...entrypoint.slice(ENTRYPOINT.length),
      ...(service?.command ?? []),
    ];
    const needed = filesNeededBy(argv);

    expect(needed).toEqual(expected);
    expectFilesExist(needed);
  });

  it.each(Object.keys(file.services))(
    '%s health check runs files that exist',
    (name) => {
      const test = file.services[name]?.healthcheck?.test ?? [];
      // Other programs (pg_isready, redis-cli) come with their images.
      if (test[0] === 'CMD' && test[1] === 'node') {
        expectFilesExist(filesNeededBy(test.slice(1)));
      }

      expect(['CMD', 'CMD-SHELL', undefined]).toContain(test[0]);
    },
  );

  it('mounts docker/redis.conf from the repository', () => {
    expectFilesExist(['docker/redis.conf']);
  });
});

describe('commands of the Dockerfile', () => {
  const dockerfile = DockerfileParser.parse(readRepoFile('Dockerfile'));
  const runtime = dockerfile
    .getInstructions()
    .slice(
      dockerfile
        .getInstructions()
        .findIndex(
          (instruction) =>
            instruction.getKeyword() === 'FROM' &&
            instruction.getArgumentsContent()?.endsWith('AS runtime'),
        ),
    );

  function jsonArguments(keyword: string): string[] {
    const instruction = runtime.find((item) => item.getKeyword() === keyword);
    const content = instruction?.getArgumentsContent() ?? '[]';

    return JSON.parse(content.replace(/^CMD\s+/, ''));
  }

  it('enters through tini and docker/entrypoint.sh', () => {
    expect(jsonArguments('ENTRYPOINT')).toEqual(ENTRYPOINT);
  });

  it('ships an executable entry point script', () => {
    const mode = fs.statSync(path.join(REPO_ROOT, 'docker/entrypoint.sh')).mode;

    expect(mode & 0o111).toBe(0o111);
  });

  it('runs the CLI by default', () => {
    const argv = jsonArguments('CMD');

    expect(filesNeededBy(argv)).toEqual(['apps/cli/src/main.ts']);
    expectFilesExist(['apps/cli/src/main.ts']);
  });

  it('checks health with docker/healthcheck.js', () => {
    const argv = jsonArguments('HEALTHCHECK');

    expect(argv).toEqual(['node', '/app/docker/healthcheck.js']);
    expectFilesExist(filesNeededBy(argv));
  });

  it('collects the runtime files with docker/collect-runtime.sh', () => {
    const runs = dockerfile
      .getInstructions()
      .filter((item) => item.getKeyword() === 'RUN')
      .map((item) => item.getArgumentsContent());

    expect(runs).toContain('sh docker/collect-runtime.sh /out');
    expectFilesExist(['docker/collect-runtime.sh']);
  });
});

describe('root scripts the deployment guide names', () => {
  it.each([
    ['db:migrate', 'packages/db/src/migrate-cli.ts'],
    ['scheduler', 'apps/scheduler/src/main.ts'],
    ['worker', 'apps/worker/src/main.ts'],
    ['dashboard', 'apps/dashboard/src/main.ts'],
    ['issue-sync', 'apps/cli/src/main.ts'],
    ['tracker-sim', 'apps/tracker-sim/src/main.ts'],
  ])('pnpm %s runs %s once built', (script, source) => {
    const needed = filesNeededBy(['pnpm', script]);

    expect(needed).toEqual([source]);
    expectFilesExist(needed);
  });
});
