import {
  ConfigError,
  loadConfigWithSources,
  type LoadedConfig,
} from '@issue-sync/config';

/**
 * Loads the configuration for an app's main module: environment variables
 * over the YAML file named by `--config FILE` (or ISSUE_SYNC_CONFIG). A bad
 * value prints the error and exits 1, because nothing can run without it.
 */
export function loadAppConfig(
  argv: readonly string[] = process.argv.slice(2),
): LoadedConfig {
  try {
    return loadConfigWithSources(undefined, { configFile: configFlag(argv) });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** Returns the value of `--config FILE` or `--config=FILE`, if given. */
export function configFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--config') {
      return argv[i + 1];
    }
    if (arg.startsWith('--config=')) {
      return arg.slice('--config='.length);
    }
  }

  return undefined;
}
