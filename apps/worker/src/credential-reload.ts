import { unwatchFile, watchFile } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import {
  ConfigError,
  loadConfigWithSources,
  secretsOf,
  type AppConfig,
} from '@issue-sync/config';
import type { Logger } from '@issue-sync/logger';
import { createAdapters } from '@issue-sync/runtime';
import type { IssueSource, TrackerAdapter } from '@issue-sync/tracker-core';
import type { WorkerMetrics } from './metrics';

export interface CredentialReloadOptions {
  configFile: string;
  config: AppConfig;
  /** The adapters the sync processors read at each job; replaced in place. */
  adapters: Record<IssueSource, TrackerAdapter>;
  logger: Logger;
  metrics: WorkerMetrics;
  /** Called with the new configuration's secrets before any adapter uses them. */
  onSecrets: (secrets: string[]) => void;
  /** How often the file's modification time is checked. */
  intervalMs?: number;
}

/** Adapters replaced by a reload are closed this long after, once in-flight requests are done. */
const RETIRED_ADAPTER_CLOSE_MS = 60_000;

/**
 * Watches the configuration file and, when its tracker settings change
 * (a rotated token, say), builds new adapters and swaps them in, so the
 * next job uses the new credentials without a restart. Polling the file's
 * stat also notices editors and Kubernetes secret volumes that replace the
 * file rather than write it. Returns a function that stops watching.
 */
export function watchCredentials(options: CredentialReloadOptions): () => void {
  let current = options.config;
  const reload = (): void => {
    let next: AppConfig;
    try {
      next = loadConfigWithSources(undefined, {
        configFile: options.configFile,
      }).config;
    } catch (err) {
      const reason = err instanceof ConfigError ? err.message : String(err);
      options.logger.error(
        'configuration file changed but is invalid; keeping the previous settings',
        {
          configFile: options.configFile,
          reason,
        },
      );
      return;
    }
    const changed = changedTrackers(current, next);
    if (changed.length === 0) {
      return;
    }
    options.onSecrets(secretsOf(next));
    const retired = { ...options.adapters };
    Object.assign(
      options.adapters,
      createAdapters(
        next,
        options.metrics.observer(),
        options.logger.child({ component: 'adapter' }),
      ),
    );
    current = next;
    options.logger.info(
      'configuration file changed; tracker settings reloaded',
      {
        configFile: options.configFile,
        trackers: changed,
      },
    );
    setTimeout(() => {
      for (const adapter of Object.values(retired)) {
        adapter.close().catch((err: unknown) => {
          options.logger.warn('could not close a replaced tracker adapter', {
            err,
          });
        });
      }
    }, RETIRED_ADAPTER_CLOSE_MS).unref();
  };
  watchFile(
    options.configFile,
    { interval: options.intervalMs ?? 2_000 },
    reload,
  );

  return () => unwatchFile(options.configFile, reload);
}

function changedTrackers(before: AppConfig, after: AppConfig): string[] {
  const sections = ['github', 'jira', 'launchpad', 'tracker'] as const;

  return sections.filter(
    (section) => !isDeepStrictEqual(before[section], after[section]),
  );
}
