import { runSoak } from '../../scripts/soak/run-soak';

const MEBIBYTE = 1024 * 1024;
const SWEEPS = 6;
const FAILED_KEEP_COUNT = 10;

type SoakReport = Awaited<ReturnType<typeof runSoak>>;

// The short version of `pnpm soak`: the same checks over 6 sweeps of
// 8 seconds, with more faults and a lower failed-job cap, so that 6 sweeps
// reach the cap. The interval cannot be much shorter: a SIGKILLed worker's
// jobs return to the queue about 2 s after the kill (lock expiry plus two
// stalled-job checks at WORKER_LOCK_DURATION_MS=1000), and they must finish
// before the next sweep.
describe('soak of six sweeps', () => {
  let report: SoakReport;

  beforeAll(async () => {
    report = await runSoak({
      sweeps: SWEEPS,
      intervalMs: 8000,
      seed: 7,
      issues: 150,
      failedKeepCount: FAILED_KEEP_COUNT,
      faultShare: 0.12,
      memoryGrowthBoundBytes: 24 * MEBIBYTE,
      heapGrowthBoundBytes: 8 * MEBIBYTE,
    });
  }, 240_000);

  it('checks every sweep', () => {
    expect(report.sweeps.map((sweep) => sweep.index)).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
    expect(report.sweeps.map((sweep) => sweep.issues)).toEqual(
      Array(SWEEPS).fill(150),
    );
  });

  it('attempts every issue in every sweep', () => {
    const reruns = report.sweeps.filter((sweep) => sweep.rerun);

    expect(reruns).toEqual([]);
    expect(report.sweeps.map((sweep) => sweep.skipped)).toEqual(
      Array(SWEEPS).fill(0),
    );
    expect(report.sweeps.map((sweep) => sweep.notAttempted)).toEqual(
      Array(SWEEPS).fill([]),
    );
    expect(report.sweeps.map((sweep) => sweep.lateSnapshot)).toEqual(
      Array(SWEEPS).fill(false),
    );
  });

  it('restarts the second worker as planned', () => {
    const planned = report.sweeps.filter(
      (sweep) => sweep.restart !== undefined,
    );

    expect(planned.length).toBeGreaterThan(0);
    expect(report.restarts).toBe(planned.length);
  });

  it('keeps the failed-job sets at FAILED_JOBS_KEEP_COUNT', () => {
    const counts = report.sweeps.flatMap((sweep) =>
      Object.values(sweep.failedJobs),
    );

    expect(Math.max(...counts)).toBe(FAILED_KEEP_COUNT);
  });

  it('keeps the long-lived worker memory flat', () => {
    const { heapAfterGc, rssAfterGc } = report.memory;

    expect(heapAfterGc.earlyMedianBytes).toBeGreaterThan(0);
    expect(heapAfterGc.growthBytes).toBeLessThanOrEqual(8 * MEBIBYTE);
    expect(rssAfterGc.earlyMedianBytes).toBeGreaterThan(0);
    expect(rssAfterGc.growthBytes).toBeLessThanOrEqual(24 * MEBIBYTE);
  });

  it('reports no violation', () => {
    expect(report.violations).toEqual([]);
  });
});
