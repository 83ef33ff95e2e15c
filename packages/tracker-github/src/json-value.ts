/** Tells whether a parsed JSON value is an object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a string property of any value, or undefined when there is none. */
export function readStringField(
  value: unknown,
  field: string,
): string | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const fieldValue = (value as Record<string, unknown>)[field];

  return typeof fieldValue === 'string' ? fieldValue : undefined;
}
