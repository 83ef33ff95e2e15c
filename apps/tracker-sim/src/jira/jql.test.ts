import { JqlError, parseKeyQuery, tokenizeJql } from './jql';

describe('tokenizeJql', () => {
  it('splits words, strings, punctuation and operators', () => {
    const tokens = tokenizeJql('key in (A-1, "B-2",\'c-3\') ORDER BY key != x');

    expect(tokens.map((token) => [token.kind, token.text])).toEqual([
      ['word', 'key'],
      ['word', 'in'],
      ['lparen', '('],
      ['word', 'A-1'],
      ['comma', ','],
      ['string', 'B-2'],
      ['comma', ','],
      ['string', 'c-3'],
      ['rparen', ')'],
      ['word', 'ORDER'],
      ['word', 'BY'],
      ['word', 'key'],
      ['operator', '!='],
      ['word', 'x'],
      ['end', ''],
    ]);
  });

  it('unescapes backslashes inside strings', () => {
    const [token] = tokenizeJql('"A\\"B"');

    expect(token).toEqual({ kind: 'string', text: 'A"B', position: 1 });
  });

  it('rejects an unclosed string with its position', () => {
    expect(() => tokenizeJql('key = "ABC-1')).toThrow(
      new JqlError(
        'Error in the JQL Query: The quoted string starting with " is not closed. (line 1, character 7)',
      ),
    );
  });
});

describe('parseKeyQuery', () => {
  it.each([
    ['key = ABC-1', ['ABC-1'], 'ASC'],
    ['KEY = "abc-1"', ['ABC-1'], 'ASC'],
    [
      'issuekey in (ABC-1, "DEF-22", ghi-3)',
      ['ABC-1', 'DEF-22', 'GHI-3'],
      'ASC',
    ],
    ['key in (ABC-2,ABC-1) order by key desc', ['ABC-2', 'ABC-1'], 'DESC'],
    ['key in (ABC-2) ORDER BY key ASC', ['ABC-2'], 'ASC'],
    ['id = 10001', ['10001'], 'ASC'],
  ] as const)('parses %s', (jql, keys, direction) => {
    expect(parseKeyQuery(jql)).toEqual({ keys, direction });
  });

  it.each([
    [
      '',
      'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
    ],
    [
      'ORDER BY key',
      'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
    ],
    [
      'project = ABC',
      'Field \'project\' is not supported by tracker-sim, which runs only "key = X" and "key in (X, Y)" with an optional ORDER BY key.',
    ],
    [
      'key ~ ABC-1',
      'Operator \'~\' is not supported by tracker-sim, which runs only "key = X" and "key in (X, Y)".',
    ],
    ['key = foo', "The issue key 'foo' for field 'key' is invalid."],
    [
      'key in (ABC-1, ',
      "Error in the JQL Query: Expecting either a value, list or function but got 'end of query'. (line 1, character 16)",
    ],
    [
      'key in (ABC-1 ABC-2)',
      "Error in the JQL Query: Expecting ',' or ')' but got 'ABC-2'. (line 1, character 15)",
    ],
    [
      'key = ABC-1 AND key = ABC-2',
      "'AND' is not supported by tracker-sim, which runs one key clause per query.",
    ],
    [
      'key = ABC-1 ORDER BY created',
      "Ordering by 'created' is not supported by tracker-sim; use ORDER BY key.",
    ],
    [
      'key',
      'Error in the JQL Query: Expecting operator before the end of the query. (line 1, character 4)',
    ],
  ])('rejects %j', (jql, message) => {
    expect(() => parseKeyQuery(jql)).toThrow(new JqlError(message));
  });
});
