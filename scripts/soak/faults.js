'use strict';

/**
 * @typedef {{ source: 'github' | 'jira' | 'launchpad', project: string, key: string }} SoakIssue
 * @typedef {Record<string, unknown>} SimFault
 * @typedef {{ faults: Array<SoakIssue & { fault: SimFault }>, tracker?: string, fault?: SimFault }} FaultPlan
 */

const TRACKERS = ['github', 'jira', 'launchpad'];

/**
 * Picks the faults of one sweep: a share of the issues get a fault each,
 * and now and then one tracker fails for a few requests. Persistent faults
 * end in SYNC_FAILED, the others in a retry that succeeds. Every issue is
 * still attempted, which is what the soak checks.
 *
 * @param {ReturnType<import('./random').createRandom>} random
 * @param {SoakIssue[]} issues
 * @param {{ issueShare: number, trackerChance: number, maxDelayMs: number }} options
 * @returns {FaultPlan}
 */
function chooseFaults(random, issues, options) {
  const kinds = [
    () => ({ status: 503 }),
    () => ({ status: 404 }),
    () => ({ body: 'malformed' }),
    () => ({ status: 502, times: 1 }),
    () => ({ reset: true, times: 2 }),
    () => ({ delayMs: random.integer(50, options.maxDelayMs) }),
  ];
  const faults = [];
  for (const issue of issues) {
    if (random.chance(options.issueShare)) {
      faults.push({ ...issue, fault: random.pick(kinds)() });
    }
  }

  /** @type {FaultPlan} */
  const plan = { faults };
  if (random.chance(options.trackerChance)) {
    plan.tracker = random.pick(TRACKERS);
    plan.fault = random.chance(0.5)
      ? { status: 503, times: random.integer(1, 5) }
      : { status: 429, retryAfterSec: 1, times: 1 };
  }

  return plan;
}

/**
 * Replaces the simulator's faults with `plan` through its control API:
 * `DELETE /_sim/faults`, then `PUT /_sim/faults`.
 *
 * @param {string} simUrl base URL of the simulator
 * @param {FaultPlan} plan
 */
async function applyFaults(simUrl, plan) {
  const cleared = await fetch(`${simUrl}/_sim/faults`, { method: 'DELETE' });
  if (!cleared.ok) {
    throw new Error(`DELETE /_sim/faults failed with HTTP ${cleared.status}`);
  }
  const set = await fetch(`${simUrl}/_sim/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(plan),
  });
  if (!set.ok) {
    throw new Error(
      `PUT /_sim/faults failed with HTTP ${set.status}: ${await set.text()}`,
    );
  }
}

module.exports = { applyFaults, chooseFaults };
