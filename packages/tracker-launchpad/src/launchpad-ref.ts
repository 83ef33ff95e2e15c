import { TrackerError } from '@issue-sync/tracker-core';
import type { IssueRef } from '@issue-sync/tracker-core';

// Launchpad names are lower-case letters, digits, "+", "-" and ".",
// starting with a letter or digit, and at least two characters long.
const PROJECT_PATTERN = /^[a-z0-9][a-z0-9+.-]{1,99}$/;
const BUG_NUMBER_PATTERN = /^[1-9][0-9]{0,17}$/;

/** Returns the bug number of a reference, after checking that it can name a Launchpad bug. */
export function toBugNumber(ref: IssueRef): string {
  if (ref.source !== 'LAUNCHPAD') {
    throw new TrackerError(
      'invalid_reference',
      'LAUNCHPAD',
      `Issue source ${ref.source} cannot be read by the Launchpad adapter: ` +
        `route it to the ${ref.source} adapter`,
    );
  }

  if (!PROJECT_PATTERN.test(ref.project)) {
    throw new TrackerError(
      'invalid_reference',
      'LAUNCHPAD',
      `Invalid Launchpad project ${JSON.stringify(ref.project.slice(0, 100))}: ` +
        `expected a lower-case name of letters, digits, "+", "-" or ".", ` +
        `such as ubuntu`,
    );
  }

  if (!BUG_NUMBER_PATTERN.test(ref.key)) {
    throw new TrackerError(
      'invalid_reference',
      'LAUNCHPAD',
      `Invalid Launchpad bug number ${JSON.stringify(ref.key.slice(0, 100))} ` +
        `in project ${ref.project}: expected decimal digits without leading ` +
        `zeros, such as 1458945`,
    );
  }

  return ref.key;
}
