'use strict';

const { spawn } = require('node:child_process');
const path = require('node:path');

/**
 * @typedef {{ rss: number, heapUsed: number, external: number }} HeapProbe
 */

/**
 * A built worker started with `node --expose-gc --require heap-probe.js`,
 * which NODE_OPTIONS does not allow, so that the soak can ask it for its
 * memory after a full garbage collection. It keeps the worker's JSON log
 * lines like the test helpers' AppProcess does.
 */
class ProbedWorker {
  /**
   * @param {string} root repository root
   * @param {Record<string, string>} env the worker's whole environment
   */
  constructor(root, env) {
    /** @type {Array<Record<string, unknown>>} */
    this.logs = [];
    this.child = spawn(
      process.execPath,
      [
        '--expose-gc',
        '--require',
        path.join(__dirname, 'heap-probe.js'),
        path.join(root, 'apps/worker/dist/main.js'),
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => resolve(code ?? signal)),
    );
    for (const stream of [this.child.stdout, this.child.stderr]) {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          this.keep(line);
        }
      });
    }
  }

  get pid() {
    return this.child.pid;
  }

  /** Resolves with the first log line after `from` matching `predicate`. */
  async waitForLog(predicate, timeoutMs = 30_000, from = 0) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.logs.slice(from).find(predicate);
      if (found !== undefined) {
        return found;
      }
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(
          `the long-lived worker wrote no matching log line (exit code ${this.child.exitCode})`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /**
   * Asks the worker for its memory after a full garbage collection.
   *
   * @returns {Promise<HeapProbe>}
   */
  async probeHeap() {
    const from = this.logs.length;
    this.child.kill('SIGUSR2');
    const line = await this.waitForLog(
      (entry) => entry.message === 'soak heap probe',
      5_000,
      from,
    );

    return {
      rss: Number(line.rss),
      heapUsed: Number(line.heapUsed),
      external: Number(line.external),
    };
  }

  /** Sends SIGTERM and waits for the exit. */
  async stop() {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
    }
    return this.exited;
  }

  keep(line) {
    try {
      const parsed = JSON.parse(line);
      if (parsed !== null && typeof parsed === 'object') {
        this.logs.push(parsed);
      }
    } catch {
      // Not JSON, such as a Node.js warning: not a log line.
    }
  }
}

module.exports = { ProbedWorker };
