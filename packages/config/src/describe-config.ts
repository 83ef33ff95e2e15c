import { OPTIONS } from './config-options';
import type { OptionDefinition } from './config-options';
import type { AppConfig } from './config-types';
import type { ConfigSource, LoadedConfig } from './load-config';
import {
  maskSecret,
  maskUrlPassword,
  urlPasswordForms,
  urlUsername,
} from './secret-mask';

/** One line of `issue-sync config`. */
export interface ConfigEntry {
  /** Environment variable, such as SYNC_INTERVAL. */
  name: string;
  /** Key of the same option in a configuration file, such as sync_interval. */
  fileKey: string;
  /** Value for display; secrets read `unset`, `set` or `set (…abcd)`. */
  value: string;
  source: ConfigSource;
}

function getPath(config: AppConfig, path: string): unknown {
  let node: unknown = config;
  for (const key of path.split('.')) {
    node = (node as Record<string, unknown> | undefined)?.[key];
  }

  return node;
}

function setPath(
  target: Record<string, unknown>,
  path: string,
  value: unknown,
) {
  const keys = path.split('.');
  const last = keys.pop() as string;
  let node = target;
  for (const key of keys) {
    node = node[key] as Record<string, unknown>;
  }
  node[last] = value;
}

function maskOption(option: OptionDefinition, value: unknown): unknown {
  if (option.secret === 'value') {
    return maskSecret(value as string | undefined);
  }
  if (option.secret === 'url') {
    return maskUrlPassword(value as string);
  }

  return value;
}

/**
 * Copies the configuration with every secret masked, for a start-up log
 * line: tokens and passwords read `unset`, `set` or `set (…abcd)`, and URL
 * passwords read `***`.
 */
export function summarizeConfig(config: AppConfig): Record<string, unknown> {
  const summary = structuredClone(config) as unknown as Record<string, unknown>;
  for (const option of OPTIONS) {
    if (option.secret !== undefined) {
      setPath(
        summary,
        option.path,
        maskOption(option, getPath(config, option.path)),
      );
    }
  }

  return summary;
}

/**
 * Lists every secret in the configuration (tokens, the dashboard password,
 * passwords inside DATABASE_URL and REDIS_URL, as written and decoded) for
 * the logger to redact. A URL password equal to its user name, such as the
 * development default postgres:postgres, is left out: it protects nothing,
 * and redacting it would blank the user name in every log line.
 */
export function secretsOf(config: AppConfig): string[] {
  const secrets = new Set<string>();
  for (const option of OPTIONS) {
    const value = getPath(config, option.path);
    if (typeof value !== 'string' || value === '') {
      continue;
    }
    if (option.secret === 'value') {
      secrets.add(value);
    }
    if (option.secret === 'url') {
      const username = urlUsername(value);
      for (const password of urlPasswordForms(value)) {
        if (password !== username) {
          secrets.add(password);
        }
      }
    }
  }

  return [...secrets];
}

function displayValue(option: OptionDefinition, value: unknown): string {
  if (option.secret !== undefined) {
    return String(maskOption(option, value));
  }
  if (value === undefined) {
    return 'unset';
  }
  if (value === '') {
    return '(empty)';
  }

  return option.display === undefined ? String(value) : option.display(value);
}

/**
 * Lists every option with its value for display and its source, in a
 * stable order, for `issue-sync config`.
 */
export function describeConfig(loaded: LoadedConfig): ConfigEntry[] {
  return OPTIONS.map((option) => ({
    name: option.name,
    fileKey: option.name.toLowerCase(),
    value: displayValue(option, getPath(loaded.config, option.path)),
    source: loaded.sources[option.name] ?? 'default',
  }));
}

/** Formats entries as aligned `NAME  value  source` lines for a terminal. */
export function formatConfigLines(entries: readonly ConfigEntry[]): string[] {
  const nameWidth = Math.max(0, ...entries.map((entry) => entry.name.length));
  const valueWidth = Math.max(0, ...entries.map((entry) => entry.value.length));

  return entries.map((entry) =>
    `${entry.name.padEnd(nameWidth)}  ${entry.value.padEnd(valueWidth)}  ${entry.source}`.trimEnd(),
  );
}
