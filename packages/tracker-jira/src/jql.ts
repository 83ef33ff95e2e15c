const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '\\"',
  "'": "\\'",
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/**
 * Quotes text as a JQL string literal. Quotes and backslashes are escaped
 * and control characters written as `\uXXXX`, so the text can never end the
 * literal early or add a clause to the query.
 */
export function toJqlString(text: string): string {
  let quoted = '"';
  for (const character of text) {
    const escape = SIMPLE_ESCAPES[character];
    if (escape !== undefined) {
      quoted += escape;
    } else if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u.test(character)) {
      const code = character.codePointAt(0) ?? 0;
      quoted += `\\u${code.toString(16).padStart(4, '0')}`;
    } else {
      quoted += character;
    }
  }

  return `${quoted}"`;
}

/** Builds `key in ("A-1", "B-2")` with every key quoted by {@link toJqlString}. */
export function buildKeyInJql(issueKeys: readonly string[]): string {
  if (issueKeys.length === 0) {
    throw new Error('buildKeyInJql needs at least one issue key');
  }

  return `key in (${issueKeys.map(toJqlString).join(', ')})`;
}
