/**
 * Draws a progress line on stderr: redrawn in place on a terminal, printed
 * at most every `intervalMs` elsewhere, so logs of scripted runs stay short.
 */
export class ProgressLine {
  private lastPrintedAt = 0;
  private readonly tty = process.stderr.isTTY === true;

  constructor(private readonly intervalMs = 5_000) {}

  update(done: number, total: number, detail: string): void {
    const now = Date.now();
    if (!this.tty && now - this.lastPrintedAt < this.intervalMs) {
      return;
    }
    this.lastPrintedAt = now;
    const text = `${renderBar(done, total)} ${done}/${total} ${detail}`;
    if (this.tty) {
      process.stderr.write(`\r\x1b[2K${text}`);
    } else {
      process.stderr.write(`${text}\n`);
    }
  }

  /** Ends the line with its final state. */
  finish(done: number, total: number, detail: string): void {
    const text = `${renderBar(done, total)} ${done}/${total} ${detail}`;
    process.stderr.write(this.tty ? `\r\x1b[2K${text}\n` : `${text}\n`);
  }
}

export function renderBar(done: number, total: number, width = 30): string {
  const share = total === 0 ? 1 : Math.min(done / total, 1);
  const filled = Math.round(share * width);

  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}
