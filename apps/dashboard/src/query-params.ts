import { HttpError } from './http-error';

/** Largest value of a PostgreSQL `serial` column such as issue.id. */
export const MAX_ID = 2_147_483_647;

/**
 * Returns the query parameters as single strings. Rejects parameters not
 * in `allowed` and parameters given more than once, naming them.
 */
export function readQuery(
  query: Record<string, unknown>,
  allowed: readonly string[],
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (!allowed.includes(name)) {
      throw new HttpError(
        400,
        `Unknown query parameter ${JSON.stringify(name)}: use ${allowed.join(', ')}`,
      );
    }
    if (typeof value !== 'string') {
      throw new HttpError(
        400,
        `Query parameter ${name} is given more than once or with brackets: give it once, as ${name}=VALUE`,
      );
    }
    values[name] = value;
  }

  return values;
}

/** Reads one of `choices`, ignoring case, or throws 400 listing them. */
export function readChoice<T extends string>(
  name: string,
  text: string,
  choices: readonly T[],
): T {
  const upper = text.toUpperCase();
  const choice = choices.find((candidate) => candidate === upper);
  if (choice === undefined) {
    throw new HttpError(
      400,
      `Invalid ${name} ${JSON.stringify(text)}: use one of ${choices.join(', ')}`,
    );
  }

  return choice;
}

/** Reads a whole number from `min` to `max`, or throws 400 naming both. */
export function readInteger(
  name: string,
  text: string,
  min: number,
  max: number,
): number {
  const value = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw new HttpError(
      400,
      `Invalid ${name} ${JSON.stringify(text)}: use a whole number from ${min} to ${max}`,
    );
  }

  return value;
}
