import { createSecretScrubber } from './secret-scrubber';

describe('createSecretScrubber', () => {
  const scrubber = createSecretScrubber(['s3cret/token+1', 'abc']);

  it('replaces secrets as written and percent-encoded', () => {
    expect(scrubber.scrubText('a s3cret/token+1 b s3cret%2Ftoken%2B1 c')).toBe(
      'a *** b *** c',
    );
  });

  it('ignores secrets shorter than four characters', () => {
    expect(scrubber.scrubText('abc abcd')).toBe('abc abcd');
  });

  it('scrubs every string of nested data and keeps dates', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const value = {
      list: ['x s3cret/token+1', 1, null],
      nested: { text: 's3cret/token+1', at },
    };
    const scrubbed = scrubber.scrubDeep(value);
    expect(scrubbed).toEqual({
      list: ['x ***', 1, null],
      nested: { text: '***', at },
    });
    expect(scrubbed.nested.at).toBeInstanceOf(Date);
    expect(value.nested.text).toBe('s3cret/token+1');
  });

  it('returns values unchanged without secrets', () => {
    const value = { a: 'text' };
    expect(createSecretScrubber([]).scrubDeep(value)).toBe(value);
  });
});
