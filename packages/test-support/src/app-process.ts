import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const REPOSITORY_ROOT = path.resolve(__dirname, '../../..');

export type AppName =
  'worker' | 'scheduler' | 'dashboard' | 'cli' | 'tracker-sim';

export interface LogLine {
  level?: string;
  message?: string;
  [field: string]: unknown;
}

/**
 * A built app running as a child process, with its output kept: JSON log
 * lines parsed, anything else kept as text.
 */
export class AppProcess {
  readonly logs: LogLine[] = [];
  readonly text: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(app: AppName, env: Record<string, string>, args: string[] = []) {
    const main = path.join(REPOSITORY_ROOT, 'apps', app, 'dist', 'main.js');
    this.child = spawn(process.execPath, [main, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      let buffered = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buffered += chunk;
        let newline = buffered.indexOf('\n');
        while (newline !== -1) {
          this.keep(buffered.slice(0, newline));
          buffered = buffered.slice(newline + 1);
          newline = buffered.indexOf('\n');
        }
      });
    }
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code) => resolve(code)),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resolves with the first log line matching `predicate`. */
  async waitForLog(
    predicate: (line: LogLine) => boolean,
    timeoutMs = 30_000,
  ): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.logs.find(predicate);
      if (found !== undefined) {
        return found;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `no matching log line within ${timeoutMs} ms; output:\n${this.text.slice(-30).join('\n')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.child.kill(signal);
  }

  /** Sends SIGTERM and waits for the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
    }
    return this.exited;
  }

  private keep(line: string): void {
    this.text.push(line);
    try {
      const parsed: unknown = JSON.parse(line);
      if (parsed !== null && typeof parsed === 'object') {
        this.logs.push(parsed as LogLine);
      }
    } catch {
      // Not JSON: kept in `text` only.
    }
  }
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the `issue-sync` command to completion. */
export function runCli(
  env: Record<string, string>,
  args: string[],
  timeoutMs = 120_000,
): Promise<CommandResult> {
  const main = path.join(REPOSITORY_ROOT, 'apps', 'cli', 'dist', 'main.js');

  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout
      .setEncoding('utf8')
      .on('data', (chunk: string) => (stdout += chunk));
    child.stderr
      .setEncoding('utf8')
      .on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `issue-sync ${args.join(' ')} ran longer than ${timeoutMs} ms\n${stdout}\n${stderr}`,
        ),
      );
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
