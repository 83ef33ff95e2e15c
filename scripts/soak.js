#!/usr/bin/env node
// `pnpm soak`: runs the full soak (50 sweeps at SYNC_INTERVAL=10s, about
// 9 minutes) against the local Redis and PostgreSQL after `pnpm build`,
// prints one line per sweep and a summary, and exits 1 if a check failed.
// Options: --sweeps N, --interval SECONDS, --seed N, --issues N,
// --keep-failed N (FAILED_JOBS_KEEP_COUNT), --json FILE (full report).
const fs = require('node:fs');
const os = require('node:os');
const { DEFAULT_OPTIONS, runSoak } = require('./soak/run-soak');

const MEBIBYTE = 1024 * 1024;
const FLAGS = {
  '--sweeps': 'sweeps',
  '--interval': 'intervalSec',
  '--seed': 'seed',
  '--issues': 'issues',
  '--keep-failed': 'failedKeepCount',
};

function parseArguments(argv) {
  const parsed = {};
  for (let index = 0; index < argv.length; index += 2) {
    const flag = argv[index];
    const value = argv[index + 1];
    if (flag === '--json') {
      parsed.json = value;
      continue;
    }
    const name = FLAGS[flag];
    if (name === undefined || value === undefined || !/^\d+$/.test(value)) {
      throw new Error(
        `invalid argument ${flag} ${value ?? ''}: use --sweeps N, --interval SECONDS, --seed N, --issues N, --keep-failed N or --json FILE`,
      );
    }
    parsed[name] = Number(value);
  }

  return parsed;
}

function mebibytes(bytes) {
  return `${(bytes / MEBIBYTE).toFixed(1)} MiB`;
}

async function main() {
  const parsed = parseArguments(process.argv.slice(2));
  const options = {
    sweeps: parsed.sweeps ?? DEFAULT_OPTIONS.sweeps,
    intervalMs:
      (parsed.intervalSec ?? DEFAULT_OPTIONS.intervalMs / 1000) * 1000,
    seed: parsed.seed ?? DEFAULT_OPTIONS.seed,
    issues: parsed.issues ?? DEFAULT_OPTIONS.issues,
    failedKeepCount: parsed.failedKeepCount ?? DEFAULT_OPTIONS.failedKeepCount,
    log: (line) => process.stdout.write(`${line}\n`),
  };
  const startedAt = Date.now();
  console.log(
    `soak: ${options.sweeps} sweeps of ${options.issues} issues every ${options.intervalMs / 1000} s, seed ${options.seed}`,
  );

  const report = await runSoak(options);
  const maxFailedJobs = Math.max(
    ...report.sweeps.flatMap((sweep) => Object.values(sweep.failedJobs)),
  );
  console.log(
    [
      `finished in ${Math.round((Date.now() - startedAt) / 1000)} s`,
      `worker restarts: ${report.restarts}`,
      `long-lived worker after a full GC, median of sweeps ${report.memory.earlySweeps.join('-')} then ${report.memory.lateSweeps.join('-')}: heap ${mebibytes(report.memory.heapAfterGc.earlyMedianBytes)} then ${mebibytes(report.memory.heapAfterGc.lateMedianBytes)} (bound +${mebibytes(report.memory.heapAfterGc.boundBytes)}), RSS ${mebibytes(report.memory.rssAfterGc.earlyMedianBytes)} then ${mebibytes(report.memory.rssAfterGc.lateMedianBytes)} (bound +${mebibytes(report.memory.rssAfterGc.boundBytes)})`,
      `long-lived worker RSS before a GC: ${mebibytes(report.memory.rssMinBytes)} to ${mebibytes(report.memory.rssMaxBytes)}, peak ${mebibytes(report.workerPeakRssBytes ?? 0)}`,
      `1-minute load average at the checks: ${Math.min(...report.sweeps.map((sweep) => sweep.loadAverage)).toFixed(1)} to ${Math.max(...report.sweeps.map((sweep) => sweep.loadAverage)).toFixed(1)} on ${os.cpus().length} CPUs`,
      `failed jobs kept per queue: at most ${maxFailedJobs} (FAILED_JOBS_KEEP_COUNT=${options.failedKeepCount})`,
    ].join('\n'),
  );
  if (parsed.json !== undefined) {
    fs.writeFileSync(parsed.json, `${JSON.stringify(report, null, 2)}\n`);
  }
  if (report.violations.length > 0) {
    console.error(`soak failed:\n  ${report.violations.join('\n  ')}`);
    process.exitCode = 1;
    return;
  }
  console.log('soak passed: no sweep skipped or lost an issue');
}

main().catch((error) => {
  console.error(
    `soak could not run: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 1;
});
