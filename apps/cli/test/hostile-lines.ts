/**
 * Hostile issue URLs and the error the parser must report for each. Shared by the
 * import test, which reads them from a file, and the issues API test, which
 * posts them one by one.
 */

/** A text the parser must reject, with the exact error it must give. */
export interface HostileLine {
  /** What the case attacks, for test titles. */
  name: string;
  /** The raw line; a Buffer contains bytes that are not valid UTF-8. */
  line: string | Buffer;
  /** The input as the error quotes it: escaped and cut to 120 characters. */
  shown: string;
  /** The reason after "is not an issue URL: ". */
  reason: string;
}

/** A text the parser must accept, with the row it must register. */
export interface ValidLine {
  name: string;
  line: string;
  source: 'GITHUB' | 'JIRA' | 'LAUNCHPAD';
  project: string;
  key: string;
}

/** One mebibyte, the length of the longest hostile lines. */
export const MEBIBYTE = 1024 * 1024;

const GITHUB_OWNER_RULE =
  'use 1 to 39 letters, digits and single hyphens, not first or last';
const GITHUB_REPOSITORY_RULE = 'use 1 to 100 letters, digits, ".", "_" and "-"';
const JIRA_KEY_RULE = 'use a letter followed by 1 to 9 letters, digits or "_"';
const LAUNCHPAD_NAME_RULE =
  'use 2 to 100 lower-case letters, digits, "+", "." and "-", starting with a letter or digit';

/** Returns the sentence every IssueUrlError ends with. */
export function acceptedForms(jiraBaseUrl: string): string {
  return `Use https://github.com/OWNER/REPO/issues/N, ${jiraBaseUrl}/browse/PROJ-N or https://bugs.launchpad.net/PROJECT/+bug/N`;
}

/** Returns the full message of the IssueUrlError for `hostile`. */
export function expectedMessage(
  hostile: HostileLine,
  jiraBaseUrl: string,
): string {
  return `${hostile.shown} is not an issue URL: ${hostile.reason}. ${acceptedForms(jiraBaseUrl)}`;
}

/** Builds a case whose input the error shows as it is, in double quotes. */
function plain(name: string, line: string, reason: string): HostileLine {
  return { name, line, shown: `"${line}"`, reason };
}

/** Returns the valid lines, in the spellings people paste. */
export function validLines(jiraBaseUrl: string): ValidLine[] {
  return [
    {
      name: 'plain GitHub issue',
      line: 'https://github.com/canonical/checkbox/issues/1',
      source: 'GITHUB',
      project: 'canonical/checkbox',
      key: '1',
    },
    {
      name: 'upper-case GitHub URL with spaces and a trailing slash',
      line: '  HTTPS://GitHub.com/Canonical/Checkbox/issues/2/  ',
      source: 'GITHUB',
      project: 'canonical/checkbox',
      key: '2',
    },
    {
      name: 'GitHub URL with a hostile query string and fragment',
      line: 'https://www.github.com/octo-org/octo.repo_x-1/issues/3?q=%2e%2e%2F&where={"$ne":1}#L1',
      source: 'GITHUB',
      project: 'octo-org/octo.repo_x-1',
      key: '3',
    },
    {
      name: 'GitHub issue 2147483647',
      line: 'https://github.com/canonical/checkbox/issues/2147483647',
      source: 'GITHUB',
      project: 'canonical/checkbox',
      key: '2147483647',
    },
    {
      name: 'plain Jira issue',
      line: `${jiraBaseUrl}/browse/DEMO-10`,
      source: 'JIRA',
      project: 'DEMO',
      key: '10',
    },
    {
      name: 'lower-case Jira key with an underscore',
      line: `${jiraBaseUrl}/browse/ops_2-11`,
      source: 'JIRA',
      project: 'OPS_2',
      key: '11',
    },
    {
      name: 'Jira URL with a JQL query string',
      line: `${jiraBaseUrl}/browse/DEMO-12?jql=project%3DX%20OR%201%3D1`,
      source: 'JIRA',
      project: 'DEMO',
      key: '12',
    },
    {
      name: 'plain Launchpad bug',
      line: 'https://bugs.launchpad.net/ubuntu/+bug/2000001',
      source: 'LAUNCHPAD',
      project: 'ubuntu',
      key: '2000001',
    },
    {
      name: 'Launchpad source package bug',
      line: 'https://bugs.launchpad.net/ubuntu/+source/linux-meta/+bug/2000002',
      source: 'LAUNCHPAD',
      project: 'ubuntu',
      key: '2000002',
    },
    {
      name: 'Launchpad bug with a trailing slash',
      line: 'https://bugs.launchpad.net/checkbox-ng/+bug/2000003/',
      source: 'LAUNCHPAD',
      project: 'checkbox-ng',
      key: '2000003',
    },
  ];
}

function traversalLines(jiraBaseUrl: string): HostileLine[] {
  return [
    plain(
      'dot-dot segment',
      'https://github.com/canonical/../evil/issues/1',
      'the path contains a "." or ".." segment',
    ),
    plain(
      'dot-dot after the bug number',
      'https://bugs.launchpad.net/ubuntu/+bug/1/../../+login',
      'the path contains a "." or ".." segment',
    ),
    plain(
      'encoded dot-dot',
      'https://github.com/canonical/%2e%2e/issues/1',
      'the path contains percent-encoded characters',
    ),
    plain(
      'encoded slash in the owner',
      'https://github.com/canonical%2Fevil/checkbox/issues/1',
      'the path contains percent-encoded characters',
    ),
    plain(
      'encoded traversal in a bug number',
      'https://bugs.launchpad.net/ubuntu/+bug/..%2F..%2F1',
      'the path contains percent-encoded characters',
    ),
    plain(
      'encoded traversal in a Jira key',
      `${jiraBaseUrl}/browse/..%2fadmin-1`,
      'the path contains percent-encoded characters',
    ),
    {
      name: 'backslash traversal',
      line: String.raw`https://github.com/canonical/checkbox/issues/1\..\..\etc`,
      shown: String.raw`"https://github.com/canonical/checkbox/issues/1\\..\\..\\etc"`,
      reason: 'the path contains a backslash',
    },
  ];
}

function githubMetacharacterLines(): HostileLine[] {
  return [
    plain(
      'braces in a GitHub owner',
      'https://github.com/own{er}/checkbox/issues/1',
      `GitHub owner "own{er}" is invalid: ${GITHUB_OWNER_RULE}`,
    ),
    {
      name: 'double quote in a GitHub repository',
      line: 'https://github.com/canonical/check"box/issues/1',
      shown: String.raw`"https://github.com/canonical/check\"box/issues/1"`,
      reason: String.raw`GitHub repository "check\"box" is invalid: ${GITHUB_REPOSITORY_RULE}`,
    },
    plain(
      'dollar in a GitHub repository',
      'https://github.com/canonical/$where/issues/1',
      `GitHub repository "$where" is invalid: ${GITHUB_REPOSITORY_RULE}`,
    ),
    plain(
      'parentheses and braces in a GitHub repository',
      'https://github.com/canonical/box(){}/issues/1',
      `GitHub repository "box(){}" is invalid: ${GITHUB_REPOSITORY_RULE}`,
    ),
    plain(
      'comma in a GitHub owner',
      'https://github.com/a,b/checkbox/issues/1',
      `GitHub owner "a,b" is invalid: ${GITHUB_OWNER_RULE}`,
    ),
    plain(
      'equals sign in a GitHub repository',
      'https://github.com/canonical/x=1/issues/1',
      `GitHub repository "x=1" is invalid: ${GITHUB_REPOSITORY_RULE}`,
    ),
    plain(
      'tilde in a GitHub owner',
      'https://github.com/~root/checkbox/issues/1',
      `GitHub owner "~root" is invalid: ${GITHUB_OWNER_RULE}`,
    ),
    plain(
      'apostrophe in a GitHub repository',
      "https://github.com/canonical/it's/issues/1",
      `GitHub repository "it's" is invalid: ${GITHUB_REPOSITORY_RULE}`,
    ),
    plain(
      'space in a GitHub repository',
      'https://github.com/canonical/check box/issues/1',
      'it contains whitespace',
    ),
    plain(
      'comma in an issue number',
      'https://github.com/canonical/checkbox/issues/1,2',
      'issue number "1,2" is not a decimal number',
    ),
  ];
}

function jiraMetacharacterLines(jiraBaseUrl: string): HostileLine[] {
  const browse = `${jiraBaseUrl}/browse`;

  return [
    {
      name: 'quoted JQL clause in a Jira key',
      line: `${browse}/DEMO"OR"1=1-1`,
      shown: String.raw`"${browse}/DEMO\"OR\"1=1-1"`,
      reason: String.raw`Jira project key "DEMO\"OR\"1=1" is invalid: ${JIRA_KEY_RULE}`,
    },
    plain(
      'tilde in a Jira key',
      `${browse}/demo~1-1`,
      `Jira project key "DEMO~1" is invalid: ${JIRA_KEY_RULE}`,
    ),
    plain(
      'comma in a Jira key',
      `${browse}/DEMO,OPS-1`,
      `Jira project key "DEMO,OPS" is invalid: ${JIRA_KEY_RULE}`,
    ),
    plain(
      'parentheses in a Jira key',
      `${browse}/(DEMO)-1`,
      `Jira project key "(DEMO)" is invalid: ${JIRA_KEY_RULE}`,
    ),
    plain(
      'apostrophe in a Jira key',
      `${browse}/DEMO'-1`,
      `Jira project key "DEMO'" is invalid: ${JIRA_KEY_RULE}`,
    ),
    plain(
      'dollar in a Jira key',
      `${browse}/$DEMO-1`,
      `Jira project key "$DEMO" is invalid: ${JIRA_KEY_RULE}`,
    ),
    plain(
      'equals sign in a Jira key',
      `${browse}/DEMO=1-1`,
      `Jira project key "DEMO=1" is invalid: ${JIRA_KEY_RULE}`,
    ),
    plain(
      'braces in a Jira key',
      `${browse}/{DEMO}-1`,
      `Jira project key "{DEMO}" is invalid: ${JIRA_KEY_RULE}`,
    ),
    plain(
      'JQL clause with spaces',
      `${browse}/DEMO OR key = X-1`,
      'it contains whitespace',
    ),
  ];
}

function launchpadMetacharacterLines(): HostileLine[] {
  return [
    plain(
      'braces in a Launchpad project',
      'https://bugs.launchpad.net/ubuntu{}/+bug/1',
      `Launchpad project "ubuntu{}" is invalid: ${LAUNCHPAD_NAME_RULE}`,
    ),
    plain(
      'shell substitution in a Launchpad package',
      'https://bugs.launchpad.net/ubuntu/+source/linux$(id)/+bug/1',
      `Launchpad package "linux$(id)" is invalid: ${LAUNCHPAD_NAME_RULE}`,
    ),
    plain(
      'apostrophe in a Launchpad project',
      "https://bugs.launchpad.net/Ubuntu'/+bug/1",
      `Launchpad project "ubuntu'" is invalid: ${LAUNCHPAD_NAME_RULE}`,
    ),
  ];
}

function controlCharacterLines(): HostileLine[] {
  return [
    {
      name: 'NUL inside the owner',
      line: 'https://github.com/canonical\u0000/checkbox/issues/1',
      shown: String.raw`"https://github.com/canonical\u{0}/checkbox/issues/1"`,
      reason: 'it contains a control character',
    },
    {
      name: 'NUL after the issue number',
      line: 'https://github.com/canonical/checkbox/issues/1\u0000',
      shown: String.raw`"https://github.com/canonical/checkbox/issues/1\u{0}"`,
      reason: 'it contains a control character',
    },
    {
      name: 'tab inside the path',
      line: 'https://bugs.launchpad.net/ubuntu/\t+bug/1',
      shown: String.raw`"https://bugs.launchpad.net/ubuntu/\t+bug/1"`,
      reason: 'it contains a control character',
    },
    {
      name: 'escape sequence inside the path',
      line: 'https://github.com/canonical/checkbox/issues/1\u001b[2J',
      shown: String.raw`"https://github.com/canonical/checkbox/issues/1\u{1b}[2J"`,
      reason: 'it contains a control character',
    },
  ];
}

function lookalikeLines(): HostileLine[] {
  return [
    {
      name: 'Cyrillic i in github.com',
      line: 'https://g\u0456thub.com/canonical/checkbox/issues/1',
      shown: String.raw`"https://g\u{456}thub.com/canonical/checkbox/issues/1"`,
      reason: String.raw`host "g\u{456}thub.com" contains non-ASCII characters`,
    },
    {
      name: 'Cyrillic es in github.com',
      line: 'https://github.\u0441om/canonical/checkbox/issues/1',
      shown: String.raw`"https://github.\u{441}om/canonical/checkbox/issues/1"`,
      reason: String.raw`host "github.\u{441}om" contains non-ASCII characters`,
    },
    {
      name: 'fullwidth github.com',
      line: 'https://\uff47\uff49\uff54\uff48\uff55\uff42.\uff43\uff4f\uff4d/canonical/checkbox/issues/1',
      shown: String.raw`"https://\u{ff47}\u{ff49}\u{ff54}\u{ff48}\u{ff55}\u{ff42}.\u{ff43}\u{ff4f}\u{ff4d}/canonical/checkbox/issues/1"`,
      reason: String.raw`host "\u{ff47}\u{ff49}\u{ff54}\u{ff48}\u{ff55}\u{ff42}.\u{ff43}\u{ff4f}\u{ff4d}" contains non-ASCII characters`,
    },
    {
      name: 'fullwidth slash after the host',
      line: 'https://github.com\uff0fcanonical/checkbox/issues/1',
      shown: String.raw`"https://github.com\u{ff0f}canonical/checkbox/issues/1"`,
      reason: String.raw`host "github.com\u{ff0f}canonical" contains non-ASCII characters`,
    },
    {
      name: 'fullwidth digits in a bug number',
      line: 'https://bugs.launchpad.net/ubuntu/+bug/\uff11\uff12\uff13',
      shown: String.raw`"https://bugs.launchpad.net/ubuntu/+bug/\u{ff11}\u{ff12}\u{ff13}"`,
      reason: 'the path contains non-ASCII characters',
    },
    {
      name: 'zero-width space in a repository',
      line: 'https://github.com/canonical/check\u200bbox/issues/1',
      shown: String.raw`"https://github.com/canonical/check\u{200b}box/issues/1"`,
      reason: 'the path contains non-ASCII characters',
    },
  ];
}

function foreignHostLines(jiraBaseUrl: string): HostileLine[] {
  const jira = new URL(jiraBaseUrl);
  const otherLoopback = `127.0.0.2:${jira.port}`;

  return [
    plain(
      'github.com as a subdomain',
      'https://github.com.evil.com/canonical/checkbox/issues/1',
      'unknown host github.com.evil.com',
    ),
    plain(
      'github.com in the path',
      'https://evil.com/github.com/canonical/checkbox/issues/1',
      'unknown host evil.com',
    ),
    plain(
      'github.com as a user name',
      'https://github.com@evil.com/canonical/checkbox/issues/1',
      'it contains a user name or password',
    ),
    plain(
      'github.com in the fragment',
      'https://evil.com#@github.com/canonical/checkbox/issues/1',
      'unknown host evil.com',
    ),
    plain(
      'bugs.launchpad.net as a subdomain',
      'https://bugs.launchpad.net.evil.com/ubuntu/+bug/1',
      'unknown host bugs.launchpad.net.evil.com',
    ),
    plain(
      'launchpad.net without bugs',
      'https://launchpad.net/ubuntu/+bug/1',
      'Launchpad bugs live on bugs.launchpad.net',
    ),
    plain(
      'Jira path on another loopback address',
      `http://${otherLoopback}/jira/browse/DEMO-1`,
      `unknown host ${otherLoopback}`,
    ),
    plain(
      'Jira port followed by another host',
      `http://${jira.host}.evil.com/jira/browse/DEMO-1`,
      `host "${jira.host}.evil.com" is not a valid host name`,
    ),
    plain(
      'file URL',
      'file:///etc/passwd',
      'scheme "file" is not http or https',
    ),
    plain(
      'javascript URL',
      'javascript:alert(1)//github.com/canonical/checkbox/issues/1',
      'it is not an absolute http or https URL',
    ),
    plain(
      'URL without a scheme',
      '//github.com/canonical/checkbox/issues/1',
      'it is not an absolute http or https URL',
    ),
  ];
}

function numberLines(jiraBaseUrl: string): HostileLine[] {
  const github = 'https://github.com/canonical/checkbox/issues';
  const thirtyDigits = '123456789012345678901234567890';
  const fortyDigits = `${thirtyDigits}1234567890`;

  return [
    plain(
      'plus sign',
      `${github}/+1`,
      'issue number "+1" is not a decimal number',
    ),
    plain(
      'minus sign',
      `${github}/-1`,
      'issue number "-1" is not a decimal number',
    ),
    plain(
      'leading zeros',
      `${github}/007`,
      'issue number "007" has leading zeros: write "7"',
    ),
    plain(
      'thirty digits',
      `${github}/${thirtyDigits}`,
      `issue number "${thirtyDigits}" is larger than 2147483647`,
    ),
    plain(
      'one above the GraphQL Int range',
      `${github}/2147483648`,
      'issue number "2147483648" is larger than 2147483647',
    ),
    plain(
      'zero',
      `${github}/0`,
      'issue number 0 does not exist: numbers start at 1',
    ),
    plain(
      'exponent',
      `${github}/1e3`,
      'issue number "1e3" is not a decimal number',
    ),
    plain(
      'plus sign in a Jira number',
      `${jiraBaseUrl}/browse/DEMO-+1`,
      'issue number "+1" is not a decimal number',
    ),
    plain(
      'leading zeros in a Jira number',
      `${jiraBaseUrl}/browse/DEMO-0012`,
      'issue number "0012" has leading zeros: write "12"',
    ),
    plain(
      'minus sign in a bug number',
      'https://bugs.launchpad.net/ubuntu/+bug/-5',
      'issue number "-5" is not a decimal number',
    ),
    plain(
      'forty digits in a bug number',
      `https://bugs.launchpad.net/ubuntu/+bug/${fortyDigits}`,
      `issue number "${thirtyDigits}…" is larger than 2147483647`,
    ),
  ];
}

function otherLines(): HostileLine[] {
  const longUrl = `https://github.com/canonical/checkbox/issues/${'1'.repeat(MEBIBYTE)}`;
  const longText = 'A'.repeat(MEBIBYTE);

  return [
    {
      name: 'a megabyte issue number',
      line: longUrl,
      shown: `"${longUrl.slice(0, 120)}…"`,
      reason: 'it is longer than 2048 characters',
    },
    {
      name: 'a megabyte of letters',
      line: longText,
      shown: `"${longText.slice(0, 120)}…"`,
      reason: 'it is longer than 2048 characters',
    },
    {
      name: 'bytes that are not UTF-8',
      line: Buffer.concat([
        Buffer.from('https://github.com/canonical/check'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('box/issues/1'),
      ]),
      shown: String.raw`"https://github.com/canonical/check\u{fffd}(box/issues/1"`,
      reason: 'the path contains non-ASCII characters',
    },
    plain(
      'pull request',
      'https://github.com/canonical/checkbox/pull/9',
      'it is a pull request, not an issue',
    ),
    plain(
      'path below an issue',
      'https://github.com/canonical/checkbox/issues/1/comments',
      'path "/canonical/checkbox/issues/1/comments" is not an issue path',
    ),
  ];
}

/** Returns every hostile case, grouped by what it attacks. */
export function hostileLines(jiraBaseUrl: string): HostileLine[] {
  return [
    ...traversalLines(jiraBaseUrl),
    ...githubMetacharacterLines(),
    ...jiraMetacharacterLines(jiraBaseUrl),
    ...launchpadMetacharacterLines(),
    ...controlCharacterLines(),
    ...lookalikeLines(),
    ...foreignHostLines(jiraBaseUrl),
    ...numberLines(jiraBaseUrl),
    ...otherLines(),
  ];
}

/**
 * Fragments that appear only in hostile lines. None of them may reach a
 * tracker in a path, a query or a body.
 */
export const HOSTILE_FRAGMENTS = [
  'evil',
  '..',
  '%2e',
  '%2E',
  '%2f',
  '%2F',
  'own{er}',
  'check"box',
  'check\\"box',
  '$where',
  'box(){}',
  'a,b',
  'x=1',
  '~root',
  "it's",
  '1=1',
  'linux$(id)',
  'ubuntu{}',
  '\u0000',
  '\\u0000',
  '+login',
  '2147483648',
  '1234567890123',
];
