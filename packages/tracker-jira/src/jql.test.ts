import fc from 'fast-check';

import { buildKeyInJql, toJqlString } from './jql';

// Reads one JQL string literal the way Jira's lexer does and returns its
// value and the text after the closing quote.
function readJqlString(jql: string): { value: string; rest: string } {
  if (!jql.startsWith('"')) {
    throw new Error(`not a string literal: ${jql}`);
  }
  let value = '';
  let index = 1;
  while (index < jql.length) {
    const character = jql[index] ?? '';
    if (character === '"') {
      return { value, rest: jql.slice(index + 1) };
    }
    if (/[\u0000-\u001f]/.test(character)) {
      throw new Error('raw control character inside a literal');
    }
    if (character === '\\') {
      const next = jql[index + 1] ?? '';
      const simple: Record<string, string> = {
        '"': '"',
        "'": "'",
        '\\': '\\',
        n: '\n',
        r: '\r',
        t: '\t',
      };
      if (next === 'u') {
        value += String.fromCharCode(
          parseInt(jql.slice(index + 2, index + 6), 16),
        );
        index += 6;
        continue;
      }
      const unescaped = simple[next];
      if (unescaped === undefined) {
        throw new Error(`unknown escape \\${next}`);
      }
      value += unescaped;
      index += 2;
      continue;
    }
    value += character;
    index += 1;
  }
  throw new Error('unterminated literal');
}

describe('toJqlString', () => {
  it('quotes a plain issue key', () => {
    expect(toJqlString('ABC-12')).toBe('"ABC-12"');
  });

  it('escapes quotes and backslashes', () => {
    expect(toJqlString('A") OR project = X OR key in ("B')).toBe(
      '"A\\") OR project = X OR key in (\\"B"',
    );
    expect(toJqlString('a\\"b')).toBe('"a\\\\\\"b"');
    expect(toJqlString("it's")).toBe('"it\\\'s"');
  });

  it('writes control characters as escapes', () => {
    expect(toJqlString('a\nb\tc\rd\u0000e\u2028')).toBe(
      '"a\\nb\\tc\\rd\\u0000e\\u2028"',
    );
  });

  it('round-trips any text as exactly one literal', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const { value, rest } = readJqlString(toJqlString(text));
        expect(value).toBe(text);
        expect(rest).toBe('');
      }),
      { numRuns: 500 },
    );
  });
});

describe('buildKeyInJql', () => {
  it('quotes every key', () => {
    expect(buildKeyInJql(['ABC-1', 'DEF-22'])).toBe(
      'key in ("ABC-1", "DEF-22")',
    );
  });

  it('keeps hostile text inside its literal', () => {
    const hostile = 'X-1") OR project in (SECRET) OR key in ("Y-2';
    const jql = buildKeyInJql([hostile, 'ABC-1']);
    const afterIn = jql.slice('key in ('.length);
    const first = readJqlString(afterIn);
    expect(first.value).toBe(hostile);
    expect(first.rest.startsWith(', ')).toBe(true);
    const second = readJqlString(first.rest.slice(2));
    expect(second.value).toBe('ABC-1');
    expect(second.rest).toBe(')');
  });

  it('rejects an empty key list', () => {
    expect(() => buildKeyInJql([])).toThrow(
      'buildKeyInJql needs at least one issue key',
    );
  });
});
