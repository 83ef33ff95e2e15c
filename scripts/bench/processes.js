const { spawn } = require('node:child_process');
const fs = require('node:fs');

// USER_HZ: the unit of utime and stime in /proc/<pid>/stat. Linux reports
// 100 on every architecture Node supports (see `getconf CLK_TCK`).
const CLOCK_TICKS_PER_SECOND = 100;
const KEPT_LINES = 200;

/**
 * A Node.js child process whose output is kept: JSON log lines parsed, the
 * last lines of text kept for error messages.
 */
class ChildApp {
  logs = [];
  lines = [];
  levelCounts = {};

  constructor(name, file, args, env, nodeArgs = []) {
    this.name = name;
    this.child = spawn(process.execPath, [...nodeArgs, file, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => resolve({ code, signal }));
    });
    this.child.on('error', (error) => {
      this.keep(`failed to start: ${error.message}`);
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      let buffered = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        buffered += chunk;
        let newline = buffered.indexOf('\n');
        while (newline !== -1) {
          this.keep(buffered.slice(0, newline));
          buffered = buffered.slice(newline + 1);
          newline = buffered.indexOf('\n');
        }
      });
    }
  }

  get pid() {
    return this.child.pid;
  }

  get running() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines of output, for an error message. */
  tail(count = 20) {
    return this.lines.slice(-count).join('\n');
  }

  /** Resolves with the first JSON log line matching `predicate`. */
  async waitForLog(predicate, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.logs.find(predicate);
      if (found !== undefined) {
        return found;
      }
      if (!this.running) {
        throw new Error(
          `${this.name} exited before it was ready; its last output:\n${this.tail()}`,
        );
      }
      if (Date.now() > deadline) {
        throw new Error(
          `${this.name} was not ready within ${timeoutMs} ms; its last output:\n${this.tail()}`,
        );
      }
      await sleep(50);
    }
  }

  /** Sends SIGTERM, then SIGKILL after `graceMs`, and waits for the exit. */
  async stop(graceMs = 30_000) {
    if (!this.running) {
      return this.exited;
    }
    this.child.kill('SIGTERM');
    let timer;
    const killed = new Promise((resolve) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, graceMs);
    });
    await Promise.race([this.exited, killed]);
    clearTimeout(timer);

    return this.exited;
  }

  keep(line) {
    this.lines.push(line);
    if (this.lines.length > KEPT_LINES) {
      this.lines.shift();
    }
    if (!line.startsWith('{')) {
      return;
    }
    try {
      const parsed = JSON.parse(line);
      const level = String(parsed.level ?? 'unknown');
      this.levelCounts[level] = (this.levelCounts[level] ?? 0) + 1;
      // Only lifecycle lines are searched; keeping every line of a long
      // run would grow without bound.
      if (this.logs.length < KEPT_LINES) {
        this.logs.push(parsed);
      }
    } catch {
      // Not a JSON log line: kept as text only.
    }
  }
}

/** Runs a Node.js script to completion and returns its exit code and output. */
function runNode(file, args, env, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${file} ${args.join(' ')} ran longer than ${timeoutMs} ms and was killed`,
        ),
      );
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Reads the user plus system CPU time of a process from /proc/<pid>/stat,
 * in seconds, or undefined when the process is gone.
 */
function readCpuSeconds(pid) {
  let text;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name in field 2 may contain spaces and parentheses, so
  // split after its closing parenthesis: field 3 (state) is then index 0,
  // utime (field 14) index 11 and stime (field 15) index 12.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');

  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/**
 * Reads the resident set size now (VmRSS) and at its peak so far (VmHWM)
 * from /proc/<pid>/status, in bytes, or undefined when the process is gone.
 */
function readMemory(pid) {
  let text;
  try {
    text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const field = (name) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(text);
    return match === null ? undefined : Number(match[1]) * 1024;
  };

  return { rssBytes: field('VmRSS'), peakRssBytes: field('VmHWM') };
}

/** Reads the machine's busy and total CPU time from /proc/stat, in seconds. */
function readMachineCpu() {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
  // cpu user nice system idle iowait irq softirq steal guest guest_nice;
  // guest time is already part of user time, so it is left out.
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  const idle = ticks[3] + ticks[4];

  return {
    busySeconds: (total - idle) / CLOCK_TICKS_PER_SECOND,
    totalSeconds: total / CLOCK_TICKS_PER_SECOND,
  };
}

/** Measures the share of all cores that was busy over `ms` milliseconds. */
async function measureMachineBusy(ms) {
  const before = readMachineCpu();
  await sleep(ms);
  const after = readMachineCpu();
  const total = after.totalSeconds - before.totalSeconds;

  return total === 0 ? 0 : (after.busySeconds - before.busySeconds) / total;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

module.exports = {
  ChildApp,
  measureMachineBusy,
  readCpuSeconds,
  readMachineCpu,
  readMemory,
  runNode,
  sleep,
};
