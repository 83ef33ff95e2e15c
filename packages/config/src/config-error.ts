/**
 * Invalid configuration. The message has one line per problem, each naming
 * the variable, its value (masked when secret) and the expected form, so an
 * app can print it as it is and exit with status 1.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  /** One entry per problem, in the order of the message lines. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}
