import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const REPO_ROOT = path.resolve(__dirname, '../..');

/** The part of a compose service these tests read. */
export interface ComposeService {
  image?: string;
  build?: unknown;
  profiles?: string[];
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  env_file?: Array<{ path: string; required?: boolean }>;
  depends_on?: Record<string, { condition: string; required?: boolean }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  deploy?: { replicas?: number | string };
  ports?: string[];
  volumes?: string[];
  restart?: string;
  container_name?: string;
  stop_grace_period?: string;
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const VARIABLE =
  /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * Substitutes `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?message}`, `${VAR?message}`, `${VAR:+other}`, `${VAR+other}` and
 * `$$` the way Compose does. Nested substitutions inside a default are
 * intentionally not handled, because the compose file has none.
 *
 * @throws Error with Compose's message when a required variable is missing
 */
export function interpolate(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): string {
  return text.replace(
    VARIABLE,
    (
      match,
      braced?: string,
      operator?: string,
      argument = '',
      bare?: string,
    ) => {
      if (match === '$$') {
        return '$';
      }
      const name = (braced ?? bare) as string;
      const value = env[name];
      const empty = value === undefined || value === '';
      switch (operator) {
        case ':-':
          return empty ? argument : value;
        case '-':
          return value ?? argument;
        case ':?':
        case '?':
          if (operator === ':?' ? empty : value === undefined) {
            throw new Error(
              `required variable ${name} is missing a value: ${argument}`,
            );
          }
          return value as string;
        case ':+':
          return empty ? '' : argument;
        case '+':
          return value === undefined ? '' : argument;
        default:
          return value ?? '';
      }
    },
  );
}

function interpolateValues(
  node: unknown,
  env: Readonly<Record<string, string | undefined>>,
): unknown {
  if (typeof node === 'string') {
    return interpolate(node, env);
  }
  if (Array.isArray(node)) {
    return node.map((item) => interpolateValues(item, env));
  }
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [
        key,
        interpolateValues(value, env),
      ]),
    );
  }

  return node;
}

/** Reads a file of the repository as UTF-8 text. */
export function readRepoFile(relativePath: string): string {
  return fs.readFileSync(path.join(REPO_ROOT, relativePath), 'utf8');
}

/** Parses docker-compose.yml as written, with YAML merge keys applied. */
export function readRawComposeFile(): ComposeFile {
  return parse(readRepoFile('docker-compose.yml'), {
    merge: true,
  }) as ComposeFile;
}

/** Parses docker-compose.yml and substitutes variables from `env`. */
export function readComposeFile(
  env: Readonly<Record<string, string | undefined>>,
): ComposeFile {
  return interpolateValues(readRawComposeFile(), env) as ComposeFile;
}

/** Names of the services that `docker compose --profile P` starts. */
export function activeServices(
  file: ComposeFile,
  profiles: readonly string[],
): string[] {
  return Object.entries(file.services)
    .filter(
      ([, service]) =>
        service.profiles === undefined ||
        service.profiles.some((profile) => profiles.includes(profile)),
    )
    .map(([name]) => name)
    .sort();
}

/** Parses an env file's `NAME=value` lines, commented out or not. */
export function readEnvLines(
  text: string,
): Array<{ name: string; value: string; commented: boolean; line: number }> {
  return text.split('\n').flatMap((line, index) => {
    const match = /^(#\s?)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match === null) {
      return [];
    }

    return [
      {
        name: match[2] as string,
        value: match[3] as string,
        commented: match[1] !== undefined,
        line: index + 1,
      },
    ];
  });
}
