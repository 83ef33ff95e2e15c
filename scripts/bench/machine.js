const { execFileSync } = require('node:child_process');
const os = require('node:os');

const { measureMachineBusy, sleep } = require('./processes');
const { ROOT } = require('./workspace');

/** Share of all cores others may keep busy before a run is started anyway. */
const QUIET_BUSY_SHARE = 0.25;
const QUIET_CHECK_MS = 3_000;

/**
 * Waits until the machine's CPU is mostly idle, at most `maxWaitMs`, and
 * returns the busy share seen last, so a run started on a busy machine is
 * marked in the report.
 */
async function waitForQuietMachine(log, maxWaitMs) {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const busy = await measureMachineBusy(QUIET_CHECK_MS);
    if (busy <= QUIET_BUSY_SHARE || Date.now() > deadline) {
      if (busy > QUIET_BUSY_SHARE) {
        log(
          `machine still ${Math.round(busy * 100)}% busy after waiting ${maxWaitMs / 1000} s; running anyway`,
        );
      }
      return { busyShare: busy, loadAverage: os.loadavg() };
    }
    log(
      `machine ${Math.round(busy * 100)}% busy (other work); waiting for it to calm down`,
    );
    await sleep(5_000);
  }
}

function gitCommit() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync(
      'git',
      // Only the code a sweep runs; other people's edits elsewhere in the
      // tree do not change the figures.
      [
        'status',
        '--porcelain',
        '--untracked-files=no',
        '--',
        'apps/worker',
        'apps/cli',
        'apps/tracker-sim',
        'packages',
      ],
      { cwd: ROOT, encoding: 'utf8' },
    ).trim();

    return dirty === '' ? commit : `${commit} (with uncommitted changes)`;
  } catch {
    return 'unknown';
  }
}

/** Describes the machine and the servers the bench ran on. */
function describeMachine({ redisVersion, postgresVersion }) {
  const cpus = os.cpus();

  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryBytes: os.totalmem(),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    redis: redisVersion,
    postgres: postgresVersion,
    commit: gitCommit(),
  };
}

module.exports = { QUIET_BUSY_SHARE, describeMachine, waitForQuietMachine };
