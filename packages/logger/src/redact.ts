import { ValueRedactor } from './redact-value';
import type { Plain, PlainObject } from './redact-value';

/** Redaction bound to one list of secrets, for repeated use. */
export interface Redactor {
  /** Redacts one string and cuts it to 2,000 characters. */
  text(text: string): string;
  /** Returns a redacted, JSON-safe copy of any value. */
  value(value: unknown): Plain;
  /** Expands an error into plain fields, as the logger writes `err`. */
  error(error: Error): PlainObject;
}

/**
 * Creates a redactor for `secrets`. Use it where text leaves the process
 * without the logger, such as a sync error stored in the database.
 */
export function createRedactor(secrets: readonly string[] = []): Redactor {
  const redactor = new ValueRedactor(secrets);

  return {
    text: (text) => redactor.text.redact(text),
    value: (value) => redactor.redact(value),
    error: (error) => redactor.redactError(error),
  };
}

/**
 * Replaces `secrets`, URL passwords, credential headers and
 * `Basic`/`Bearer`/`token` credentials with `***`. A string comes back as a
 * string; any other value as a redacted, JSON-safe copy.
 */
export function redact(value: string, secrets?: readonly string[]): string;
export function redact(value: unknown, secrets?: readonly string[]): Plain;
export function redact(value: unknown, secrets: readonly string[] = []): Plain {
  return new ValueRedactor(secrets).redact(value);
}
