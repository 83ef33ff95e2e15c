/** Rate-limit figures after one request. */
export interface BudgetState {
  allowed: boolean;
  limit: number;
  used: number;
  remaining: number;
  /** When the window ends, in epoch milliseconds. */
  resetAtMs: number;
}

/**
 * A points budget per fixed window, as GitHub's primary GraphQL limit works:
 * the window opens with the first request and refills when it ends.
 */
export class WindowBudget {
  private used = 0;
  private resetAtMs = 0;

  constructor(
    readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Spends `cost` points unless fewer remain; a cost of 0 only reads. */
  charge(cost: number, now: number): BudgetState {
    if (now >= this.resetAtMs) {
      this.used = 0;
      this.resetAtMs = now + this.windowMs;
    }
    const allowed = this.used + cost <= this.limit;
    if (allowed) {
      this.used += cost;
    }

    return {
      allowed,
      limit: this.limit,
      used: this.used,
      remaining: this.limit - this.used,
      resetAtMs: this.resetAtMs,
    };
  }

  reset(): void {
    this.used = 0;
    this.resetAtMs = 0;
  }
}
