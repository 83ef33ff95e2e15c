import type {
  RequestLogEntry,
  SimSource,
  SimStats,
  TrackerStats,
} from './types';

function emptyTrackerStats(): TrackerStats {
  return {
    requests: 0,
    byEndpoint: {},
    byStatus: {},
    faults: 0,
    rateLimited: 0,
  };
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/**
 * Request counters per tracker and a bounded log of the latest requests. The
 * log drops its oldest entry once it reaches `logSize` entries.
 */
export class RequestStats {
  private counters = this.emptyStats();
  private log: RequestLogEntry[] = [];
  private nextSeq = 1;

  constructor(private readonly logSize: number) {}

  /** Counts a request as it arrives, so even reset connections count. */
  countRequest(tracker: SimSource, endpoint: string): void {
    const stats = this.counters[tracker];
    stats.requests += 1;
    increment(stats.byEndpoint, endpoint);
    this.counters.total += 1;
  }

  countUnmatched(): void {
    this.counters.unmatched += 1;
  }

  /** Records how a request ended and appends it to the log. */
  record(
    entry: Omit<RequestLogEntry, 'seq'>,
    details: { rateLimited: boolean },
  ): void {
    const stats = this.counters[entry.tracker];
    increment(
      stats.byStatus,
      entry.status === null ? 'reset' : String(entry.status),
    );
    if (entry.fault !== undefined) {
      stats.faults += 1;
    }
    if (details.rateLimited) {
      stats.rateLimited += 1;
    }

    if (this.logSize === 0) {
      return;
    }
    this.log.push({ seq: this.nextSeq++, ...entry });
    if (this.log.length > this.logSize) {
      this.log.splice(0, this.log.length - this.logSize);
    }
  }

  snapshot(): SimStats {
    return structuredClone(this.counters);
  }

  entries(): RequestLogEntry[] {
    return structuredClone(this.log);
  }

  reset(): void {
    this.counters = this.emptyStats();
    this.log = [];
  }

  private emptyStats(): SimStats {
    return {
      github: emptyTrackerStats(),
      jira: emptyTrackerStats(),
      launchpad: emptyTrackerStats(),
      total: 0,
      unmatched: 0,
    };
  }
}
