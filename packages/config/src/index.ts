export type { AppConfig } from './config-types';
export { ConfigError } from './config-error';
export { loadConfig, loadConfigWithSources } from './load-config';
export type {
  ConfigSource,
  LoadConfigOptions,
  LoadedConfig,
} from './load-config';
export {
  describeConfig,
  formatConfigLines,
  secretsOf,
  summarizeConfig,
} from './describe-config';
export type { ConfigEntry } from './describe-config';
export { maskSecret, maskUrlPassword } from './secret-mask';
export { OPTION_NAMES } from './config-options';
export { formatDuration } from './value-parsers';
