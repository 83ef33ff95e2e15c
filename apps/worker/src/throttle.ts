/**
 * Lets one event through per interval and counts the ones held back, so a
 * burst of identical warnings (every job during a database outage) logs
 * once per interval with a count.
 */
export class Throttle {
  private lastAt = 0;
  private held = 0;

  constructor(private readonly intervalMs: number) {}

  /** Returns how many events were held back since the last one let through, or undefined to hold this one. */
  take(now = Date.now()): number | undefined {
    if (now - this.lastAt < this.intervalMs) {
      this.held += 1;
      return undefined;
    }
    const held = this.held;
    this.lastAt = now;
    this.held = 0;

    return held;
  }
}
