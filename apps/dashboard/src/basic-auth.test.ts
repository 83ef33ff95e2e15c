import { createCredentialCheck, readBasicCredentials } from './basic-auth';

function basic(text: string): string {
  return `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;
}

describe('readBasicCredentials', () => {
  it('reads user name and password', () => {
    expect(readBasicCredentials(basic('operator:pa ss'))).toEqual({
      username: 'operator',
      password: 'pa ss',
    });
  });

  it('keeps colons in the password', () => {
    expect(readBasicCredentials(basic('operator:a:b:c'))).toEqual({
      username: 'operator',
      password: 'a:b:c',
    });
  });

  it('decodes UTF-8 and accepts any scheme case', () => {
    const header = basic('zoë:pässwörd').replace('Basic', 'bAsIc');
    expect(readBasicCredentials(header)).toEqual({
      username: 'zoë',
      password: 'pässwörd',
    });
  });

  it.each([
    ['a missing header', undefined],
    ['another scheme', 'Bearer abc'],
    ['no colon', basic('operator')],
    ['invalid base64', 'Basic !!!'],
    ['an empty credential', 'Basic '],
  ])('rejects %s', (_case, header) => {
    expect(readBasicCredentials(header)).toBeUndefined();
  });
});

describe('createCredentialCheck', () => {
  const check = createCredentialCheck({
    username: 'operator',
    password: 'correct-horse',
  });

  it('accepts the configured credentials', () => {
    expect(check({ username: 'operator', password: 'correct-horse' })).toBe(
      true,
    );
  });

  it.each([
    ['a wrong password', { username: 'operator', password: 'correct-hors' }],
    ['a longer password', { username: 'operator', password: 'correct-horse!' }],
    ['a wrong user name', { username: 'Operator', password: 'correct-horse' }],
    ['empty values', { username: '', password: '' }],
    ['no credentials', undefined],
  ])('rejects %s', (_case, given) => {
    expect(check(given)).toBe(false);
  });
});
