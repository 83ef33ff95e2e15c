import { z } from 'zod';
import { ConfigError } from './config-error';
import { readConfigFile } from './config-file';
import type { ConfigFileContents } from './config-file';
import { OPTIONS, OPTION_PAIRS } from './config-options';
import type { OptionDefinition, ParseContext } from './config-options';
import type { AppConfig } from './config-types';
import { maskUrlPassword } from './secret-mask';
import { parseBoolean } from './value-parsers';

/** Where the value of an option came from. */
export type ConfigSource = 'default' | 'file' | 'environment';

export interface LoadConfigOptions {
  /**
   * YAML configuration file, as given by an app's `--config` flag. It wins
   * over ISSUE_SYNC_CONFIG; environment variables win over the file.
   */
  configFile?: string;
}

/** A validated configuration with the origin of every value. */
export interface LoadedConfig {
  config: AppConfig;
  /** Source of each option, by variable name. */
  sources: Readonly<Record<string, ConfigSource>>;
  /** Advice for the operator that does not stop start-up; apps log it. */
  warnings: string[];
  /** Path of the configuration file read, if any. */
  configFile: string | undefined;
}

const MAX_SHOWN_VALUE_LENGTH = 100;

// Empty and blank values count as unset. Surrounding whitespace is dropped
// except where it may belong to the value, as in a password.
function cleanValue(
  value: string | undefined,
  option: OptionDefinition,
): string | undefined {
  if (value === undefined || value.trim() === '') {
    return undefined;
  }

  return option.keepWhitespace ? value : value.trim();
}

function showValue(option: OptionDefinition, text: string): string {
  if (option.secret === 'value') {
    return `(secret, ${text.length} characters)`;
  }

  // Any value may be a URL with a password pasted in by mistake.
  const visible = maskUrlPassword(text);
  if (visible.length <= MAX_SHOWN_VALUE_LENGTH) {
    return JSON.stringify(visible);
  }

  const head = JSON.stringify(`${visible.slice(0, MAX_SHOWN_VALUE_LENGTH)}…`);

  return `${head} (${visible.length} characters)`;
}

function describeInvalid(
  option: OptionDefinition,
  text: string,
  source: ConfigSource,
  configFile: string | undefined,
  expected: string,
): string {
  const where =
    source === 'file' ? ` (${option.name.toLowerCase()} in ${configFile})` : '';

  return `${option.name}=${showValue(option, text)}${where} is invalid: ${expected}`;
}

function checkPairs(raw: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  for (const pair of OPTION_PAIRS) {
    const hasFirst = raw[pair.first] !== undefined;
    const hasSecond = raw[pair.second] !== undefined;
    if (hasFirst && !hasSecond) {
      problems.push(
        `${pair.second} is missing: ${pair.first} is set, so set ${pair.second} to ${pair.secondMeaning} as well, or unset both`,
      );
    }
    if (hasSecond && !hasFirst) {
      problems.push(
        `${pair.first} is missing: ${pair.second} is set, so set ${pair.first} to ${pair.firstMeaning} as well, or unset both`,
      );
    }
  }

  return problems;
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
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[last] = value;
}

function readParseContext(raw: Record<string, string | undefined>) {
  const context: ParseContext = { allowHttp: false };
  try {
    context.allowHttp = parseBoolean(raw.TRACKER_ALLOW_HTTP ?? 'false');
  } catch {
    // The full parse below reports the invalid value with the others.
  }

  return context;
}

function readConfigFileOrEmpty(path: string | undefined): ConfigFileContents {
  if (path === undefined) {
    return { values: {}, problems: [], warnings: [] };
  }

  return readConfigFile(path);
}

/**
 * Reads and validates the configuration from the environment and an
 * optional YAML file (`options.configFile`, else ISSUE_SYNC_CONFIG), and
 * records where each value came from.
 *
 * @param env - variables to read; defaults to `process.env`
 * @throws ConfigError listing every invalid value, one line each
 */
export function loadConfigWithSources(
  env: NodeJS.ProcessEnv = process.env,
  options: LoadConfigOptions = {},
): LoadedConfig {
  const configFile =
    options.configFile?.trim() || env.ISSUE_SYNC_CONFIG?.trim() || undefined;
  const file = readConfigFileOrEmpty(configFile);

  const raw: Record<string, string | undefined> = {};
  const sources: Record<string, ConfigSource> = {};
  for (const option of OPTIONS) {
    const fromEnv = cleanValue(env[option.name], option);
    const fromFile = cleanValue(file.values[option.name], option);
    raw[option.name] = fromEnv ?? fromFile ?? option.defaultValue;
    sources[option.name] =
      fromEnv !== undefined
        ? 'environment'
        : fromFile !== undefined
          ? 'file'
          : 'default';
  }

  const context = readParseContext(raw);
  const shape = Object.fromEntries(
    OPTIONS.map((option) => {
      const schema = option.schema(context);
      return [
        option.name,
        option.defaultValue === undefined ? schema.optional() : schema,
      ];
    }),
  );
  const result = z.object(shape).safeParse(raw);

  const problems = [...file.problems];
  for (const issue of result.error?.issues ?? []) {
    const option = OPTIONS.find(
      (candidate) => candidate.name === issue.path[0],
    );
    const text = option === undefined ? undefined : raw[option.name];
    if (option === undefined || text === undefined) {
      problems.push(issue.message);
      continue;
    }
    problems.push(
      describeInvalid(
        option,
        text,
        sources[option.name] ?? 'default',
        configFile,
        issue.message,
      ),
    );
  }
  problems.push(...checkPairs(raw));
  if (problems.length > 0 || result.data === undefined) {
    throw new ConfigError(problems);
  }

  const config: Record<string, unknown> = {};
  for (const option of OPTIONS) {
    setPath(config, option.path, result.data[option.name]);
  }

  return {
    config: config as unknown as AppConfig,
    sources,
    warnings: file.warnings,
    configFile,
  };
}

/**
 * Reads and validates the configuration; see loadConfigWithSources, which
 * also returns the warnings an app should log.
 *
 * @param env - variables to read; defaults to `process.env`
 * @throws ConfigError listing every invalid value, one line each
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  options: LoadConfigOptions = {},
): AppConfig {
  return loadConfigWithSources(env, options).config;
}
