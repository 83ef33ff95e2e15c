/** Prints one line to stdout. */
export function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Prints one line to stderr. */
export function printError(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Lays rows out in columns padded to the widest cell. */
export function formatTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();

  return [line(header), ...rows.map(line)];
}

/**
 * Cuts text to `max` characters, marking the cut. Control characters, which
 * a tracker title may carry to a terminal, are shown escaped.
 */
export function truncate(text: string, max: number): string {
  const visible = escapeControl(text);

  return visible.length <= max ? visible : `${visible.slice(0, max - 1)}…`;
}

/** Replaces control characters with `\u{…}` escapes. */
export function escapeControl(text: string): string {
  return text.replace(
    /\p{Cc}/gu,
    (char) => `\\u{${char.codePointAt(0)!.toString(16)}}`,
  );
}
