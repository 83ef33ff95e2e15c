/**
 * Builds the one-line reason shown when a component fails, such as
 * "PostgreSQL did not answer: Can't reach database server at host:5432".
 * Prisma spreads its messages over several lines, naming the failed call
 * first and the cause last, so only the last line is kept.
 */
export function describeFailure(component: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n').filter((line) => line.trim() !== '');

  return `${component} did not answer: ${(lines[lines.length - 1] ?? message).trim()}`;
}
