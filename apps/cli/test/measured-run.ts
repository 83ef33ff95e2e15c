import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPOSITORY_ROOT } from '@issue-sync/test-support';

/** The outcome of one CLI run with its memory measured. */
export interface MeasuredRun {
  code: number | null;
  stdout: string;
  /** Lines of stderr that `onStderrLine` did not take. */
  otherStderr: string[];
  /** Peak resident set size (VmHWM) in bytes, as last sampled. */
  peakRssBytes: number;
}

/** How often /proc is read. The last 50 ms before exit go unsampled. */
const SAMPLE_INTERVAL_MS = 50;

/** Reads VmHWM, the peak resident set size so far, from /proc in bytes. */
export function readPeakRss(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    return match === null ? undefined : Number(match[1]) * 1024;
  } catch {
    // The process has exited between two samples.
    return undefined;
  }
}

/**
 * Runs the built `issue-sync` command, sampling its peak RSS from /proc,
 * and hands every stderr line to `onStderrLine` as it arrives, so that a
 * run printing many errors is checked without keeping its output. Lines
 * for which `onStderrLine` returns false are kept in `otherStderr`.
 */
export function runMeasuredCli(
  env: Record<string, string>,
  args: string[],
  onStderrLine: (line: string) => boolean,
  timeoutMs: number,
): Promise<MeasuredRun> {
  const main = path.join(REPOSITORY_ROOT, 'apps', 'cli', 'dist', 'main.js');
  const child = spawn(process.execPath, [main, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let pending = '';
  let peakRssBytes = 0;
  const otherStderr: string[] = [];

  const sample = (): void => {
    const peak = readPeakRss(child.pid!);
    if (peak !== undefined && peak > peakRssBytes) {
      peakRssBytes = peak;
    }
  };
  const sampler = setInterval(sample, SAMPLE_INTERVAL_MS);
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!onStderrLine(line)) {
        otherStderr.push(line);
      }
    }
  });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `issue-sync ${args.join(' ')} ran longer than ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
    // 'close' comes after stdout and stderr have ended, unlike 'exit'.
    child.on('close', (code) => {
      clearTimeout(timer);
      clearInterval(sampler);
      if (pending !== '' && !onStderrLine(pending)) {
        otherStderr.push(pending);
      }
      resolve({ code, stdout, otherStderr, peakRssBytes });
    });
  });
}
