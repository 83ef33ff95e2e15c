import type { SimFault, SimSource } from './types';

interface FaultState {
  fault: SimFault;
  /** Requests the fault still applies to; Infinity without `times`. */
  remaining: number;
}

function toState(fault: SimFault): FaultState {
  return { fault, remaining: fault.times ?? Number.POSITIVE_INFINITY };
}

/**
 * Faults per issue and per tracker, with the countdown of faults limited by
 * `times`. Issue faults live apart from issues, so a fault may target an
 * issue that does not exist.
 */
export class FaultRegistry {
  private readonly byIssue = new Map<string, FaultState>();
  private readonly byTracker = new Map<SimSource, FaultState>();

  hasIssueFaults(): boolean {
    return this.byIssue.size > 0;
  }

  setIssueFault(issueId: string, fault: SimFault | null): void {
    if (fault === null) {
      this.byIssue.delete(issueId);
    } else {
      this.byIssue.set(issueId, toState(fault));
    }
  }

  setTrackerFault(tracker: SimSource, fault: SimFault | null): void {
    if (fault === null) {
      this.byTracker.delete(tracker);
    } else {
      this.byTracker.set(tracker, toState(fault));
    }
  }

  clear(): void {
    this.byIssue.clear();
    this.byTracker.clear();
  }

  /**
   * Picks the fault for one request and counts the request against every
   * fault it matches: the tracker's fault wins over issue faults, and among
   * issues the first touched one wins. Returns undefined when none applies.
   */
  take(
    tracker: SimSource,
    touchedIssueIds: readonly string[],
  ): SimFault | undefined {
    let chosen: SimFault | undefined;
    const trackerState = this.byTracker.get(tracker);
    if (trackerState !== undefined) {
      chosen = this.consume(trackerState, () => this.byTracker.delete(tracker));
    }
    if (this.byIssue.size === 0) {
      return chosen;
    }

    for (const issueId of new Set(touchedIssueIds)) {
      const state = this.byIssue.get(issueId);
      if (state === undefined) {
        continue;
      }
      const fault = this.consume(state, () => this.byIssue.delete(issueId));
      chosen ??= fault;
    }

    return chosen;
  }

  private consume(state: FaultState, onExhausted: () => void): SimFault {
    state.remaining -= 1;
    if (state.remaining <= 0) {
      onExhausted();
    }

    return state.fault;
  }
}
