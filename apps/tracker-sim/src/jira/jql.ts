/** A JQL query the simulator can run: a set of issue keys or ids. */
export interface KeyQuery {
  /** Keys or numeric ids, in the order the query lists them. */
  keys: string[];
  /** Sort direction of `ORDER BY key`; ascending when no ORDER BY is given. */
  direction: 'ASC' | 'DESC';
}

/** A JQL query that Jira would reject or that the simulator does not run. */
export class JqlError extends Error {
  override readonly name = 'JqlError';
}

type TokenKind =
  'word' | 'string' | 'lparen' | 'rparen' | 'comma' | 'operator' | 'end';

interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based character position, as Jira reports it. */
  position: number;
}

const PUNCTUATION_KINDS: Record<string, TokenKind> = {
  '(': 'lparen',
  ')': 'rparen',
  ',': 'comma',
};
const KEY_FIELDS = new Set(['key', 'issuekey', 'issue', 'id']);
const OPERATOR_START = new Set(['=', '!', '<', '>', '~']);
const WORD_STOP = new Set(['(', ')', ',', '"', "'", ...OPERATOR_START]);
const ISSUE_KEY = /^[A-Za-z][A-Za-z0-9_]*-[1-9][0-9]*$/;
const ISSUE_ID = /^[1-9][0-9]*$/;

function syntaxError(message: string, position: number): JqlError {
  return new JqlError(
    `Error in the JQL Query: ${message} (line 1, character ${position})`,
  );
}

function readQuoted(jql: string, start: number): { text: string; end: number } {
  const quote = jql[start]!;
  let text = '';
  let i = start + 1;
  while (i < jql.length) {
    const char = jql[i]!;
    if (char === '\\' && i + 1 < jql.length) {
      text += jql[i + 1];
      i += 2;
      continue;
    }
    if (char === quote) {
      return { text, end: i + 1 };
    }
    text += char;
    i += 1;
  }
  throw syntaxError(
    `The quoted string starting with ${quote} is not closed.`,
    start + 1,
  );
}

/** Splits JQL into words, quoted strings, parentheses, commas and operators. */
export function tokenizeJql(jql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < jql.length) {
    const char = jql[i]!;
    const position = i + 1;
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === '(' || char === ')' || char === ',') {
      const kind = PUNCTUATION_KINDS[char]!;
      tokens.push({ kind, text: char, position });
      i += 1;
    } else if (char === '"' || char === "'") {
      const quoted = readQuoted(jql, i);
      tokens.push({ kind: 'string', text: quoted.text, position });
      i = quoted.end;
    } else if (OPERATOR_START.has(char)) {
      const pair = jql.slice(i, i + 2);
      const text = ['!=', '<=', '>=', '!~'].includes(pair) ? pair : char;
      tokens.push({ kind: 'operator', text, position });
      i += text.length;
    } else {
      let end = i;
      while (
        end < jql.length &&
        !/\s/.test(jql[end]!) &&
        !WORD_STOP.has(jql[end]!)
      ) {
        end += 1;
      }
      tokens.push({ kind: 'word', text: jql.slice(i, end), position });
      i = end;
    }
  }
  tokens.push({ kind: 'end', text: '', position: jql.length + 1 });

  return tokens;
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): KeyQuery {
    const first = this.peek();
    if (first.kind === 'end' || this.isWord(first, 'order')) {
      throw new JqlError(
        'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
      );
    }
    const keys = this.parseClause();
    let direction: KeyQuery['direction'] = 'ASC';
    if (this.isWord(this.peek(), 'order')) {
      direction = this.parseOrderBy();
    }
    const rest = this.peek();
    if (rest.kind !== 'end') {
      throw this.unsupported(rest);
    }

    return { keys, direction };
  }

  private parseClause(): string[] {
    const field = this.next();
    if (field.kind !== 'word' && field.kind !== 'string') {
      throw syntaxError(
        `Expecting a field name but got '${field.text}'.`,
        field.position,
      );
    }
    if (!KEY_FIELDS.has(field.text.toLowerCase())) {
      throw new JqlError(
        `Field '${field.text}' is not supported by tracker-sim, which runs only "key = X" and "key in (X, Y)" with an optional ORDER BY key.`,
      );
    }

    const operator = this.next();
    if (operator.kind === 'operator' && operator.text === '=') {
      return [this.parseValue(field.text)];
    }
    if (this.isWord(operator, 'in')) {
      return this.parseList(field.text);
    }
    if (operator.kind === 'end') {
      throw syntaxError(
        'Expecting operator before the end of the query.',
        operator.position,
      );
    }
    throw new JqlError(
      `Operator '${operator.text}' is not supported by tracker-sim, which runs only "key = X" and "key in (X, Y)".`,
    );
  }

  private parseList(field: string): string[] {
    const open = this.next();
    if (open.kind !== 'lparen') {
      throw syntaxError(
        `Expecting '(' but got '${open.text || 'end of query'}'.`,
        open.position,
      );
    }
    const values = [this.parseValue(field)];
    for (;;) {
      const separator = this.next();
      if (separator.kind === 'rparen') {
        return values;
      }
      if (separator.kind !== 'comma') {
        throw syntaxError(
          `Expecting ',' or ')' but got '${separator.text || 'end of query'}'.`,
          separator.position,
        );
      }
      values.push(this.parseValue(field));
    }
  }

  private parseValue(field: string): string {
    const token = this.next();
    if (token.kind !== 'word' && token.kind !== 'string') {
      throw syntaxError(
        `Expecting either a value, list or function but got '${token.text || 'end of query'}'.`,
        token.position,
      );
    }
    if (!ISSUE_KEY.test(token.text) && !ISSUE_ID.test(token.text)) {
      throw new JqlError(
        `The issue key '${token.text}' for field '${field}' is invalid.`,
      );
    }

    return token.text.toUpperCase();
  }

  private parseOrderBy(): KeyQuery['direction'] {
    this.next();
    const by = this.next();
    if (!this.isWord(by, 'by')) {
      throw syntaxError(
        `Expecting 'by' but got '${by.text || 'end of query'}'.`,
        by.position,
      );
    }
    const field = this.next();
    if (field.kind !== 'word' || !KEY_FIELDS.has(field.text.toLowerCase())) {
      throw new JqlError(
        `Ordering by '${field.text}' is not supported by tracker-sim; use ORDER BY key.`,
      );
    }
    const direction = this.peek();
    if (this.isWord(direction, 'asc') || this.isWord(direction, 'desc')) {
      this.next();

      return direction.text.toUpperCase() as KeyQuery['direction'];
    }

    return 'ASC';
  }

  private unsupported(token: Token): JqlError {
    if (this.isWord(token, 'and') || this.isWord(token, 'or')) {
      return new JqlError(
        `'${token.text}' is not supported by tracker-sim, which runs one key clause per query.`,
      );
    }

    return syntaxError(
      `Expecting end of query but got '${token.text}'.`,
      token.position,
    );
  }

  private isWord(token: Token, word: string): boolean {
    return token.kind === 'word' && token.text.toLowerCase() === word;
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const token = this.tokens[this.index]!;
    if (token.kind !== 'end') {
      this.index += 1;
    }

    return token;
  }
}

/**
 * Parses the JQL subset the simulator runs: `key = X` or `key in (X, "Y")`,
 * optionally followed by `ORDER BY key [ASC|DESC]`. Keywords and field names
 * are case-insensitive, as in Jira. Throws JqlError with a Jira-style message.
 */
export function parseKeyQuery(jql: string): KeyQuery {
  return new Parser(tokenizeJql(jql)).parse();
}
