/** Replacement for every secret found in a response. */
export const SCRUBBED = '***';

/** Secrets shorter than this are skipped, because they would blank words. */
const MIN_SECRET_LENGTH = 4;

/** Replaces configured secrets in the text and data the dashboard sends. */
export interface SecretScrubber {
  /** Returns `text` with every secret replaced by `***`. */
  scrubText(text: string): string;
  /** Returns a copy of plain data with every string scrubbed. */
  scrubDeep<T>(value: T): T;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Creates a scrubber for the given secrets, matched as written and
 * percent-encoded. It is a second line of defence: the worker already
 * scrubs sync errors and job data holds only issue ids.
 */
export function createSecretScrubber(
  secrets: readonly string[],
): SecretScrubber {
  const forms = [
    ...new Set(
      secrets
        .filter((secret) => secret.length >= MIN_SECRET_LENGTH)
        .flatMap((secret) => [secret, encodeURIComponent(secret)]),
    ),
  ].sort((a, b) => b.length - a.length);
  const pattern =
    forms.length === 0
      ? undefined
      : new RegExp(forms.map(escapeRegExp).join('|'), 'g');

  const scrubText = (text: string): string =>
    pattern === undefined ? text : text.replace(pattern, SCRUBBED);

  const scrubDeep = (value: unknown, seen: WeakSet<object>): unknown => {
    if (typeof value === 'string') {
      return scrubText(value);
    }
    if (typeof value !== 'object' || value === null || value instanceof Date) {
      return value;
    }
    if (seen.has(value)) {
      return value;
    }
    seen.add(value);
    if (Array.isArray(value)) {
      return value.map((item) => scrubDeep(item, seen));
    }

    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, scrubDeep(item, seen)]),
    );
  };

  return {
    scrubText,
    scrubDeep: <T>(value: T): T =>
      pattern === undefined ? value : (scrubDeep(value, new WeakSet()) as T),
  };
}
