/** An input value that cannot be a simulator issue or fault. */
export class SimInputError extends Error {
  override readonly name = 'SimInputError';
}

export function fail(where: string, message: string): never {
  throw new SimInputError(`${where}: ${message}`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function formatValue(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

export function rejectUnknownKeys(
  value: Record<string, unknown>,
  allowed: string[],
  where: string,
): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      fail(
        where,
        `unknown field "${key}"; expected one of ${allowed.join(', ')}`,
      );
    }
  }
}

export function readString(
  value: Record<string, unknown>,
  field: string,
  where: string,
): string | undefined {
  const raw = value[field];
  if (raw === undefined) {
    return undefined;
  }
  if (typeof raw !== 'string') {
    fail(where, `${field} is ${formatValue(raw)}; expected a string`);
  }

  return raw;
}

export function requireString(
  value: Record<string, unknown>,
  field: string,
  where: string,
): string {
  const raw = readString(value, field, where);
  if (raw === undefined || raw.trim() === '') {
    fail(where, `${field} is missing; expected a non-empty string`);
  }

  return raw.trim();
}

export function readNonNegative(
  value: Record<string, unknown>,
  field: string,
  where: string,
  { integer }: { integer: boolean },
): number | undefined {
  const raw = value[field];
  if (raw === undefined) {
    return undefined;
  }
  const valid =
    typeof raw === 'number' &&
    Number.isFinite(raw) &&
    raw >= 0 &&
    (!integer || Number.isInteger(raw));
  if (!valid) {
    const expected = integer
      ? 'a non-negative integer'
      : 'a non-negative number';
    fail(where, `${field} is ${formatValue(raw)}; expected ${expected}`);
  }

  return raw;
}

export function readOneOf<T extends string>(
  raw: unknown,
  allowed: readonly T[],
  field: string,
  where: string,
  { ignoreCase }: { ignoreCase: boolean },
): T {
  const match =
    typeof raw === 'string'
      ? allowed.find((option) =>
          ignoreCase
            ? option.toLowerCase() === raw.toLowerCase()
            : option === raw,
        )
      : undefined;
  if (match === undefined) {
    fail(
      where,
      `${field} is ${formatValue(raw)}; expected one of ${allowed.join(', ')}`,
    );
  }

  return match;
}
