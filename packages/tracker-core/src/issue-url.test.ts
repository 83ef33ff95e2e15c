import fc from 'fast-check';
import type { IssueRef } from './issue-ref';
import { IssueUrlError, formatIssueUrl, parseIssueUrl } from './issue-url';
import { checkIssueRef } from './issue-url-rules';

const OPTIONS = { jiraBaseUrl: 'https://warthogs.atlassian.net' };
const SIM_OPTIONS = { jiraBaseUrl: 'http://127.0.0.1:4000/jira' };
const ACCEPTED_FORMS =
  'Use https://github.com/OWNER/REPO/issues/N, https://warthogs.atlassian.net/browse/PROJ-N or https://bugs.launchpad.net/PROJECT/+bug/N';

function reasonFor(input: string, options = OPTIONS): string {
  try {
    parseIssueUrl(input, options);
  } catch (error) {
    if (error instanceof IssueUrlError) {
      return error.reason;
    }
    throw error;
  }
  throw new Error(`parseIssueUrl accepted ${JSON.stringify(input)}`);
}

function errorFor(input: string, options = OPTIONS): IssueUrlError {
  try {
    parseIssueUrl(input, options);
  } catch (error) {
    if (error instanceof IssueUrlError) {
      return error;
    }
    throw error;
  }
  throw new Error(`parseIssueUrl accepted ${JSON.stringify(input)}`);
}

describe('parseIssueUrl', () => {
  describe('with accepted URLs', () => {
    it.each<[string, IssueRef]>([
      [
        'https://github.com/canonical/test_observer/issues/12',
        { source: 'GITHUB', project: 'canonical/test_observer', key: '12' },
      ],
      [
        'https://github.com/Canonical/Test-Observer/issues/12',
        { source: 'GITHUB', project: 'canonical/test-observer', key: '12' },
      ],
      [
        'http://www.github.com/a/b.c/issues/1/',
        { source: 'GITHUB', project: 'a/b.c', key: '1' },
      ],
      [
        '  https://github.com/o-w-n/.github/issues/2147483647?x=1#top \n',
        { source: 'GITHUB', project: 'o-w-n/.github', key: '2147483647' },
      ],
      [
        'https://github.com/a/b/issues/3#issuecomment-42',
        { source: 'GITHUB', project: 'a/b', key: '3' },
      ],
      [
        'https://warthogs.atlassian.net/browse/DEMO-12',
        { source: 'JIRA', project: 'DEMO', key: '12' },
      ],
      [
        'https://WARTHOGS.atlassian.net/browse/demo-12/?focusedCommentId=1',
        { source: 'JIRA', project: 'DEMO', key: '12' },
      ],
      [
        'http://warthogs.atlassian.net:80/browse/AB_2-7',
        { source: 'JIRA', project: 'AB_2', key: '7' },
      ],
      [
        'https://bugs.launchpad.net/ubuntu/+bug/2034567',
        { source: 'LAUNCHPAD', project: 'ubuntu', key: '2034567' },
      ],
      [
        'https://bugs.launchpad.net/Snapd/+bug/1/',
        { source: 'LAUNCHPAD', project: 'snapd', key: '1' },
      ],
      [
        'https://bugs.launchpad.net/ubuntu/+source/linux-oem-6.8/+bug/99?comments=all',
        { source: 'LAUNCHPAD', project: 'ubuntu', key: '99' },
      ],
    ])('parses %j', (input, expected) => {
      expect(parseIssueUrl(input, OPTIONS)).toEqual(expected);
    });

    it('accepts a Jira base URL with port and path prefix', () => {
      expect(
        parseIssueUrl('http://127.0.0.1:4000/jira/browse/DEMO-12', SIM_OPTIONS),
      ).toEqual({ source: 'JIRA', project: 'DEMO', key: '12' });
    });

    it('accepts a base URL with a trailing slash', () => {
      expect(
        parseIssueUrl('https://jira.example.com/browse/OPS-3', {
          jiraBaseUrl: 'https://jira.example.com/',
        }),
      ).toEqual({ source: 'JIRA', project: 'OPS', key: '3' });
    });
  });

  describe('with rejected URLs', () => {
    it.each([
      ['', 'it is empty'],
      ['   ', 'it is empty'],
      ['github.com/a/b/issues/1', 'it is not an absolute http or https URL'],
      ['ftp://github.com/a/b/issues/1', 'scheme "ftp" is not http or https'],
      [
        'javascript://github.com/%0aalert(1)',
        'scheme "javascript" is not http or https',
      ],
      ['https://example.com/x', 'unknown host example.com'],
      [
        'https://github.com.evil.com/a/b/issues/1',
        'unknown host github.com.evil.com',
      ],
      ['https://evil.com/github.com/a/b/issues/1', 'unknown host evil.com'],
      ['https://evilgithub.com/a/b/issues/1', 'unknown host evilgithub.com'],
      ['https://github.com./a/b/issues/1', 'unknown host github.com.'],
      [
        'https://g\u0456thub.com/a/b/issues/1',
        'host "g\\u{456}thub.com" contains non-ASCII characters',
      ],
      [
        'https://github.\u0441om/a/b/issues/1',
        'host "github.\\u{441}om" contains non-ASCII characters',
      ],
      [
        'https://xn--gthub-n4a.com/a/b/issues/1',
        'unknown host xn--gthub-n4a.com',
      ],
      [
        'https://user@github.com/a/b/issues/1',
        'it contains a user name or password',
      ],
      [
        'https://github.com@evil.com/a/b/issues/1',
        'it contains a user name or password',
      ],
      ['https://github.com:443/a/b/issues/1', 'github.com URLs take no port'],
      ['https://github.com:8080/a/b/issues/1', 'github.com URLs take no port'],
      [
        'https://bugs.launchpad.net:443/ubuntu/+bug/1',
        'bugs.launchpad.net URLs take no port',
      ],
      [
        'https://github.com:/a/b/issues/1',
        'host "github.com:" is not a valid host name',
      ],
      [
        'https://git_hub.com/a/b/issues/1',
        'host "git_hub.com" is not a valid host name',
      ],
      [
        'https://github.com/a/../b/issues/1',
        'the path contains a "." or ".." segment',
      ],
      [
        'https://github.com/a/b/issues/../../x/y/issues/1',
        'the path contains a "." or ".." segment',
      ],
      [
        'https://github.com/a/./b/issues/1',
        'the path contains a "." or ".." segment',
      ],
      [
        'https://github.com/a/%2e%2e/issues/1',
        'the path contains percent-encoded characters',
      ],
      [
        'https://github.com/a/b/issues/%31',
        'the path contains percent-encoded characters',
      ],
      ['https://github.com/a\\b/issues/1', 'the path contains a backslash'],
      [
        'https://github.com//a/b/issues/1',
        'the path contains an empty segment',
      ],
      [
        'https://github.com/a/b/issues/1\r\nX-Injected: 1',
        'it contains a control character',
      ],
      [
        'https://github.com/a/b/issues/1\u0000',
        'it contains a control character',
      ],
      ['https://github.com/a/b/issues/1 2', 'it contains whitespace'],
      ['https://github.com/a/b/issues/1\u00a02', 'it contains whitespace'],
      [
        'https://github.com/a/b\u00e9/issues/1',
        'the path contains non-ASCII characters',
      ],
      ['https://github.com/a/b/pull/3', 'it is a pull request, not an issue'],
      [
        'https://github.com/a/b/issues',
        'path "/a/b/issues" is not an issue path',
      ],
      [
        'https://github.com/a/b/issues/1/comments',
        'path "/a/b/issues/1/comments" is not an issue path',
      ],
      ['https://github.com/a/b', 'path "/a/b" is not an issue path'],
      [
        'https://github.com/a/b/issues/007',
        'issue number "007" has leading zeros: write "7"',
      ],
      [
        'https://github.com/a/b/issues/0',
        'issue number 0 does not exist: numbers start at 1',
      ],
      [
        'https://github.com/a/b/issues/00',
        'issue number "00" has leading zeros: write "0"',
      ],
      [
        'https://github.com/a/b/issues/+7',
        'issue number "+7" is not a decimal number',
      ],
      [
        'https://github.com/a/b/issues/-7',
        'issue number "-7" is not a decimal number',
      ],
      [
        'https://github.com/a/b/issues/1e3',
        'issue number "1e3" is not a decimal number',
      ],
      [
        'https://github.com/a/b/issues/0x1F',
        'issue number "0x1F" is not a decimal number',
      ],
      [
        `https://github.com/a/b/issues/${'9'.repeat(30)}`,
        `issue number "${'9'.repeat(30)}" is larger than 2147483647`,
      ],
      [
        'https://github.com/a/b/issues/2147483648',
        'issue number "2147483648" is larger than 2147483647',
      ],
      [
        'https://github.com/a/b/issues/1){viewer{login}}',
        'issue number "1){viewer{login}}" is not a decimal number',
      ],
      [
        'https://github.com/a/b")%7B/issues/1',
        'the path contains percent-encoded characters',
      ],
      [
        'https://github.com/a/b"){x}(/issues/1',
        'GitHub repository "b\\"){x}(" is invalid: use 1 to 100 letters, digits, ".", "_" and "-"',
      ],
      [
        'https://github.com/$owner/b/issues/1',
        'GitHub owner "$owner" is invalid: use 1 to 39 letters, digits and single hyphens, not first or last',
      ],
      [
        'https://github.com/-a/b/issues/1',
        'GitHub owner "-a" is invalid: use 1 to 39 letters, digits and single hyphens, not first or last',
      ],
      [
        'https://github.com/a-/b/issues/1',
        'GitHub owner "a-" is invalid: use 1 to 39 letters, digits and single hyphens, not first or last',
      ],
      [
        'https://github.com/a--b/c/issues/1',
        'GitHub owner "a--b" is invalid: use 1 to 39 letters, digits and single hyphens, not first or last',
      ],
      [
        `https://github.com/${'a'.repeat(40)}/b/issues/1`,
        `GitHub owner "${'a'.repeat(40)}" is invalid: use 1 to 39 letters, digits and single hyphens, not first or last`,
      ],
      [
        `https://github.com/a/${'r'.repeat(101)}/issues/1`,
        `GitHub repository "${'r'.repeat(60)}…" is invalid: use 1 to 100 letters, digits, ".", "_" and "-"`,
      ],
      [
        'https://warthogs.atlassian.net/browse/DEMO-12"OR"1=1',
        'issue number "12\\"OR\\"1=1" is not a decimal number',
      ],
      [
        "https://warthogs.atlassian.net/browse/DEMO'~'x-1",
        'Jira project key "DEMO\'~\'X" is invalid: use a letter followed by 1 to 9 letters, digits or "_"',
      ],
      [
        'https://warthogs.atlassian.net/browse/A,B-1',
        'Jira project key "A,B" is invalid: use a letter followed by 1 to 9 letters, digits or "_"',
      ],
      [
        'https://warthogs.atlassian.net/browse/(DEMO)=1-1',
        'Jira project key "(DEMO)=1" is invalid: use a letter followed by 1 to 9 letters, digits or "_"',
      ],
      [
        'https://warthogs.atlassian.net/browse/DEMO!-1',
        'Jira project key "DEMO!" is invalid: use a letter followed by 1 to 9 letters, digits or "_"',
      ],
      [
        'https://warthogs.atlassian.net/browse/D-1',
        'Jira project key "D" is invalid: use a letter followed by 1 to 9 letters, digits or "_"',
      ],
      [
        'https://warthogs.atlassian.net/browse/1DEMO-1',
        'Jira project key "1DEMO" is invalid: use a letter followed by 1 to 9 letters, digits or "_"',
      ],
      [
        'https://warthogs.atlassian.net/browse/ABCDEFGHIJK-1',
        'Jira project key "ABCDEFGHIJK" is invalid: use a letter followed by 1 to 9 letters, digits or "_"',
      ],
      [
        'https://warthogs.atlassian.net/browse/DEMO',
        'path "/browse/DEMO" is not an issue path',
      ],
      [
        'https://warthogs.atlassian.net/browse/DEMO-12/x',
        'path "/browse/DEMO-12/x" is not an issue path',
      ],
      [
        'https://warthogs.atlassian.net/jira/software/projects/DEMO/issues/DEMO-12',
        'path "/jira/software/projects/DEMO/issues/DEMO-12" is not an issue path',
      ],
      [
        'https://warthogs.atlassian.net:8443/browse/DEMO-12',
        'host warthogs.atlassian.net:8443 is not the Jira site of JIRA_BASE_URL (https://warthogs.atlassian.net)',
      ],
      [
        'https://other.atlassian.net/browse/DEMO-12',
        'host other.atlassian.net is not the Jira site of JIRA_BASE_URL (https://warthogs.atlassian.net)',
      ],
      [
        'https://launchpad.net/ubuntu/+bug/1',
        'Launchpad bugs live on bugs.launchpad.net',
      ],
      ['https://bugs.launchpad.net/bugs/1', 'path "/bugs/1" is not a bug path'],
      [
        'https://bugs.launchpad.net/ubuntu/+bugs',
        'path "/ubuntu/+bugs" is not a bug path',
      ],
      [
        'https://bugs.launchpad.net/ubuntu/+source/+bug/1',
        'path "/ubuntu/+source/+bug/1" is not a bug path',
      ],
      [
        'https://bugs.launchpad.net/a/+bug/1',
        'Launchpad project "a" is invalid: use 2 to 100 lower-case letters, digits, "+", "." and "-", starting with a letter or digit',
      ],
      [
        'https://bugs.launchpad.net/-ubuntu/+bug/1',
        'Launchpad project "-ubuntu" is invalid: use 2 to 100 lower-case letters, digits, "+", "." and "-", starting with a letter or digit',
      ],
      [
        'https://bugs.launchpad.net/ubu_ntu/+bug/1',
        'Launchpad project "ubu_ntu" is invalid: use 2 to 100 lower-case letters, digits, "+", "." and "-", starting with a letter or digit',
      ],
      [
        'https://bugs.launchpad.net/ubuntu/+source/lin$ux/+bug/1',
        'Launchpad package "lin$ux" is invalid: use 2 to 100 lower-case letters, digits, "+", "." and "-", starting with a letter or digit',
      ],
      [
        'https://bugs.launchpad.net/ubuntu/+bug/01',
        'issue number "01" has leading zeros: write "1"',
      ],
    ])('rejects %j', (input, reason) => {
      expect(reasonFor(input)).toBe(reason);
    });

    it('rejects a Jira URL outside the base path', () => {
      expect(
        reasonFor('http://127.0.0.1:4000/browse/DEMO-12', SIM_OPTIONS),
      ).toBe('path "/browse/DEMO-12" is not an issue path');
    });

    it('rejects a Jira URL on another port', () => {
      expect(
        reasonFor('http://127.0.0.1:4001/jira/browse/DEMO-12', SIM_OPTIONS),
      ).toBe('unknown host 127.0.0.1:4001');
    });

    it('rejects a megabyte line without echoing it', () => {
      const input = `https://github.com/a/b/issues/1?${'x'.repeat(1024 * 1024)}`;

      const error = errorFor(input);

      expect(error.reason).toBe('it is longer than 2048 characters');
      expect(error.message.length).toBeLessThan(400);
      expect(error.input).toHaveLength(2048);
    });
  });

  describe('IssueUrlError', () => {
    it('names input, reason and accepted forms', () => {
      const error = errorFor('https://example.com/x');

      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe('IssueUrlError');
      expect(error.input).toBe('https://example.com/x');
      expect(error.reason).toBe('unknown host example.com');
      expect(error.message).toBe(
        `"https://example.com/x" is not an issue URL: unknown host example.com. ${ACCEPTED_FORMS}`,
      );
    });

    it('names the configured Jira site', () => {
      const error = errorFor('https://example.com/x', SIM_OPTIONS);

      expect(error.message).toBe(
        '"https://example.com/x" is not an issue URL: unknown host example.com. Use https://github.com/OWNER/REPO/issues/N, http://127.0.0.1:4000/jira/browse/PROJ-N or https://bugs.launchpad.net/PROJECT/+bug/N',
      );
    });

    it('escapes control characters and cuts the input', () => {
      const input = `https://github.com/a/b/issues/1\r\n${'y'.repeat(200)}`;

      const error = errorFor(input);

      expect(error.message).toBe(
        `"${input.slice(0, 120).replace('\r\n', '\\r\\n')}…" is not an issue URL: it contains a control character. ${ACCEPTED_FORMS}`,
      );
    });

    it('masks a password in the input', () => {
      const error = errorFor('https://bot:hunter2@github.com/a/b/issues/1');

      expect(error.message).not.toContain('hunter2');
      expect(error.input).toBe('https://bot:***@github.com/a/b/issues/1');
    });
  });
});

describe('formatIssueUrl', () => {
  it.each<[IssueRef, string]>([
    [
      { source: 'GITHUB', project: 'canonical/test_observer', key: '12' },
      'https://github.com/canonical/test_observer/issues/12',
    ],
    [
      { source: 'JIRA', project: 'DEMO', key: '12' },
      'https://warthogs.atlassian.net/browse/DEMO-12',
    ],
    [
      { source: 'LAUNCHPAD', project: 'ubuntu', key: '2034567' },
      'https://bugs.launchpad.net/ubuntu/+bug/2034567',
    ],
  ])('formats %j', (ref, url) => {
    expect(formatIssueUrl(ref, OPTIONS)).toBe(url);
  });

  it('uses the Jira base path', () => {
    expect(
      formatIssueUrl(
        { source: 'JIRA', project: 'DEMO', key: '12' },
        {
          jiraBaseUrl: 'http://127.0.0.1:4000/jira/',
        },
      ),
    ).toBe('http://127.0.0.1:4000/jira/browse/DEMO-12');
  });

  it('encodes odd stored values', () => {
    expect(
      formatIssueUrl(
        { source: 'GITHUB', project: 'a/b/../@evil.com', key: '1?x' },
        OPTIONS,
      ),
    ).toBe('https://github.com/a/b%2F..%2F%40evil.com/issues/1%3Fx');
    expect(
      formatIssueUrl(
        { source: 'LAUNCHPAD', project: '@evil.com/x', key: '1' },
        OPTIONS,
      ),
    ).toBe('https://bugs.launchpad.net/%40evil.com%2Fx/+bug/1');
  });

  it('rejects an unknown source', () => {
    expect(() =>
      formatIssueUrl(
        { source: 'GITLAB' as IssueRef['source'], project: 'a/b', key: '1' },
        OPTIONS,
      ),
    ).toThrow(
      new TypeError(
        'cannot format an issue URL for source "GITLAB": use GITHUB, JIRA or LAUNCHPAD',
      ),
    );
  });
});

describe('checkIssueRef', () => {
  it.each<[IssueRef, string | undefined]>([
    [{ source: 'GITHUB', project: 'a/b', key: '1' }, undefined],
    [
      { source: 'GITHUB', project: 'A/b', key: '1' },
      'GitHub project "A/b" is not lower case',
    ],
    [
      { source: 'GITHUB', project: 'a', key: '1' },
      'GitHub project "a" is invalid: use OWNER/REPO',
    ],
    [
      { source: 'JIRA', project: 'demo', key: '1' },
      'Jira project key "demo" is invalid: use a letter followed by 1 to 9 letters, digits or "_"',
    ],
    [
      { source: 'LAUNCHPAD', project: 'ubuntu', key: '01' },
      'issue number "01" has leading zeros: write "1"',
    ],
    [
      { source: 'BUGZILLA' as IssueRef['source'], project: 'x', key: '1' },
      'issue source "BUGZILLA" is unknown: use GITHUB, JIRA or LAUNCHPAD',
    ],
  ])('checks %j', (ref, problem) => {
    expect(checkIssueRef(ref)).toBe(problem);
  });
});

describe('issue URL properties', () => {
  const SAFE_PROJECT = {
    GITHUB: /^[a-z0-9-]{1,39}\/[a-z0-9._-]{1,100}$/,
    JIRA: /^[A-Z][A-Z0-9_]{1,9}$/,
    LAUNCHPAD: /^[a-z0-9][a-z0-9+.-]{1,99}$/,
  };
  const SAFE_KEY = /^[1-9][0-9]{0,9}$/;

  const issueNumber = fc
    .integer({ min: 1, max: 2_147_483_647 })
    .map((value) => String(value));
  const alphanumeric = fc.constantFrom(
    ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  );
  const githubOwner = fc
    .array(fc.stringMatching(/^[A-Za-z0-9]{1,6}$/), {
      minLength: 1,
      maxLength: 5,
    })
    .map((parts) => parts.join('-'))
    .filter((owner) => owner.length <= 39);
  const githubRepository = fc
    .stringMatching(/^[A-Za-z0-9._-]{1,100}$/)
    .filter((name) => name !== '.' && name !== '..');
  const githubRef = fc
    .record({
      owner: githubOwner,
      repository: githubRepository,
      key: issueNumber,
    })
    .map(({ owner, repository, key }): IssueRef => ({
      source: 'GITHUB',
      project: `${owner}/${repository}`.toLowerCase(),
      key,
    }));
  const jiraRef = fc
    .record({
      first: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
      rest: fc.stringMatching(/^[A-Z0-9_]{1,9}$/),
      key: issueNumber,
    })
    .map(({ first, rest, key }): IssueRef => ({
      source: 'JIRA',
      project: `${first}${rest}`,
      key,
    }));
  const launchpadRef = fc
    .record({
      project: fc.stringMatching(/^[a-z0-9][a-z0-9+.-]{1,99}$/),
      key: issueNumber,
    })
    .map(({ project, key }): IssueRef => ({
      source: 'LAUNCHPAD',
      project,
      key,
    }));
  const validRef = fc.oneof(githubRef, jiraRef, launchpadRef);

  const urlPrefix = fc.constantFrom(
    'https://github.com/',
    'https://www.github.com/',
    'http://github.com/',
    'https://warthogs.atlassian.net/browse/',
    'https://bugs.launchpad.net/',
    'https://bugs.launchpad.net/ubuntu/+source/',
    '',
  );
  const hostileFragment = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.constantFrom(
      '..',
      '%2e%2e',
      '/',
      '+bug',
      '+source',
      'issues',
      'browse',
      '{',
      '}',
      '(',
      ')',
      '"',
      "'",
      '$',
      '=',
      '~',
      '!',
      ',',
      ' ',
      '\r\n',
      '\u0000',
      '-',
      '0',
      '1',
      '\u0441',
    ),
    alphanumeric,
  );
  const hostileUrl = fc
    .tuple(urlPrefix, fc.array(hostileFragment, { maxLength: 12 }))
    .map(([prefix, fragments]) => `${prefix}${fragments.join('')}`);

  // Valid URLs with hostile text spliced in or put in place of a part,
  // so that many inputs come close to being accepted.
  const mutatedUrl = fc
    .record({
      ref: validRef,
      decoration: fc.constantFrom('', '/', '?q=1', '#c', '/?x=%00'),
      insertions: fc.array(
        fc.record({ at: fc.nat(), text: hostileFragment, replace: fc.nat(3) }),
        { maxLength: 2 },
      ),
      upper: fc.boolean(),
    })
    .map(({ ref, decoration, insertions, upper }) => {
      let url = `${formatIssueUrl(ref, OPTIONS)}${decoration}`;
      if (upper) {
        url = url.toUpperCase();
      }
      for (const { at, text, replace } of insertions) {
        const position = at % (url.length + 1);
        url = `${url.slice(0, position)}${text}${url.slice(position + replace)}`;
      }
      return url;
    });
  const candidateUrl = fc.oneof(hostileUrl, mutatedUrl);

  it('accepts only safe projects and keys', () => {
    fc.assert(
      fc.property(candidateUrl, (input) => {
        let ref: IssueRef;
        try {
          ref = parseIssueUrl(input, OPTIONS);
        } catch (error) {
          expect(error).toBeInstanceOf(IssueUrlError);
          return;
        }
        expect(ref.project).toMatch(SAFE_PROJECT[ref.source]);
        expect(ref.key).toMatch(SAFE_KEY);
        expect(checkIssueRef(ref)).toBeUndefined();
      }),
      { numRuns: 5000 },
    );
  });

  it('round-trips format then parse', () => {
    fc.assert(
      fc.property(validRef, (ref) => {
        expect(checkIssueRef(ref)).toBeUndefined();
        expect(parseIssueUrl(formatIssueUrl(ref, OPTIONS), OPTIONS)).toEqual(
          ref,
        );
        expect(
          parseIssueUrl(formatIssueUrl(ref, SIM_OPTIONS), SIM_OPTIONS),
        ).toEqual(ref);
      }),
      { numRuns: 2000 },
    );
  });

  it('parses its own output again', () => {
    fc.assert(
      fc.property(candidateUrl, (input) => {
        let ref: IssueRef;
        try {
          ref = parseIssueUrl(input, OPTIONS);
        } catch {
          return;
        }
        expect(parseIssueUrl(formatIssueUrl(ref, OPTIONS), OPTIONS)).toEqual(
          ref,
        );
      }),
      { numRuns: 2000 },
    );
  });
});
