import type { IssueRef } from './issue-ref';
import {
  checkGithubProject,
  checkIssueNumber,
  checkJiraProject,
  checkLaunchpadName,
  quoteForMessage,
} from './issue-url-rules';

/** Longer inputs are rejected before any other check. */
export const MAX_ISSUE_URL_LENGTH = 2048;

/** Characters of the input shown in an IssueUrlError message. */
const SHOWN_INPUT_LENGTH = 120;

export interface IssueUrlOptions {
  /** JIRA_BASE_URL, such as https://example.atlassian.net. */
  jiraBaseUrl: string;
}

function describeAcceptedForms(jiraBaseUrl: string): string {
  return `Use https://github.com/OWNER/REPO/issues/N, ${jiraBaseUrl.replace(/\/+$/, '')}/browse/PROJ-N or https://bugs.launchpad.net/PROJECT/+bug/N`;
}

// A URL with a password pasted by mistake must not echo it back.
function maskUrlPassword(text: string): string {
  return text.replace(/(:\/\/[^/?#@\s]*:)[^/?#\s]*@/g, '$1***@');
}

/** A text that is not the URL of an issue issue-sync can track. */
export class IssueUrlError extends Error {
  override readonly name = 'IssueUrlError';
  /** The rejected input, cut to 2048 characters, any URL password as `***`. */
  readonly input: string;
  /** The reason for the rejection, such as "unknown host example.com". */
  readonly reason: string;

  constructor(input: string, reason: string, jiraBaseUrl: string) {
    const maskedInput = maskUrlPassword(input.slice(0, MAX_ISSUE_URL_LENGTH));
    super(
      `${quoteForMessage(maskedInput, SHOWN_INPUT_LENGTH)} is not an issue URL: ${reason}. ${describeAcceptedForms(jiraBaseUrl)}`,
    );
    this.input = maskedInput;
    this.reason = reason;
  }
}

/** A URL split into the parts the parser checks; all ASCII. */
interface UrlParts {
  host: string;
  /** The port, left out when it is the scheme's default. */
  port: number | undefined;
  /** Whether the URL spells out a port, even the default one. */
  hasPort: boolean;
  segments: string[];
  path: string;
}

const URL_SHAPE =
  /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?[^#]*)?(?:#.*)?$/s;

function defaultPort(scheme: string): number {
  return scheme === 'https' ? 443 : 80;
}

// Splits and checks an absolute URL by hand, because WHATWG URL parsing
// would quietly convert look-alike hosts to punycode, resolve `..` and
// decode some escapes before the checks could see them.
function splitUrl(text: string): UrlParts | string {
  if (/[\x00-\x1f\x7f]/.test(text)) {
    return 'it contains a control character';
  }
  if (/\s/u.test(text)) {
    return 'it contains whitespace';
  }

  const match = URL_SHAPE.exec(text);
  if (match === null) {
    return 'it is not an absolute http or https URL';
  }

  const scheme = (match[1] ?? '').toLowerCase();
  const authority = match[2] ?? '';
  const path = match[3] ?? '';
  if (scheme !== 'http' && scheme !== 'https') {
    return `scheme ${quoteForMessage(scheme, 20)} is not http or https`;
  }
  if (authority.includes('@')) {
    return 'it contains a user name or password';
  }

  const hostAndPort = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(authority);
  const host = (hostAndPort?.[1] ?? '').toLowerCase();
  const portText = hostAndPort?.[2];
  if (/[^\x00-\x7f]/.test(host)) {
    return `host ${quoteForMessage(host)} contains non-ASCII characters`;
  }
  if (
    hostAndPort === null ||
    !/^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])$/.test(host) ||
    portText === ''
  ) {
    return `host ${quoteForMessage(authority)} is not a valid host name`;
  }

  const port =
    portText === undefined ? undefined : Number.parseInt(portText, 10);
  const problem = checkPath(path);
  if (problem !== undefined) {
    return problem;
  }

  return {
    host,
    port: port === defaultPort(scheme) ? undefined : port,
    hasPort: port !== undefined,
    segments: path
      .split('/')
      .slice(1)
      .filter((_, index, all) => {
        // One trailing slash is accepted and dropped.
        return !(index === all.length - 1 && all[index] === '');
      }),
    path,
  };
}

function checkPath(path: string): string | undefined {
  if (/[^\x00-\x7f]/.test(path)) {
    return 'the path contains non-ASCII characters';
  }
  if (path.includes('%')) {
    return 'the path contains percent-encoded characters';
  }
  if (path.includes('\\')) {
    return 'the path contains a backslash';
  }

  const segments = path.split('/').slice(1);
  if (segments.some((segment) => segment === '.' || segment === '..')) {
    return 'the path contains a "." or ".." segment';
  }
  if (segments.slice(0, -1).some((segment) => segment === '')) {
    return 'the path contains an empty segment';
  }

  return undefined;
}

function parseGithub(parts: UrlParts): IssueRef | string {
  if (parts.hasPort) {
    return 'github.com URLs take no port';
  }

  const [owner = '', repository = '', kind, key, ...rest] = parts.segments;
  if (kind === 'pull' && rest.length === 0) {
    return 'it is a pull request, not an issue';
  }
  if (kind !== 'issues' || key === undefined || rest.length > 0) {
    return `path ${quoteForMessage(parts.path)} is not an issue path`;
  }

  const problem =
    checkGithubProject(owner, repository) ?? checkIssueNumber(key);
  if (problem !== undefined) {
    return problem;
  }

  return {
    source: 'GITHUB',
    project: `${owner}/${repository}`.toLowerCase(),
    key,
  };
}

function parseLaunchpad(parts: UrlParts): IssueRef | string {
  if (parts.hasPort) {
    return 'bugs.launchpad.net URLs take no port';
  }

  const segments = parts.segments;
  const isBug = segments.length === 3 && segments[1] === '+bug';
  const isPackageBug =
    segments.length === 5 &&
    segments[1] === '+source' &&
    segments[3] === '+bug';
  if (!isBug && !isPackageBug) {
    return `path ${quoteForMessage(parts.path)} is not a bug path`;
  }

  const project = (segments[0] ?? '').toLowerCase();
  const key = segments.at(-1) ?? '';
  // The package only narrows which bug task a person looked at; the bug
  // and its project identify the issue.
  const problem =
    checkLaunchpadName('project', project) ??
    (isPackageBug
      ? checkLaunchpadName('package', (segments[2] ?? '').toLowerCase())
      : undefined) ??
    checkIssueNumber(key);
  if (problem !== undefined) {
    return problem;
  }

  return { source: 'LAUNCHPAD', project, key };
}

interface JiraSite {
  host: string;
  port: number | undefined;
  segments: string[];
}

function readJiraSite(jiraBaseUrl: string): JiraSite {
  const url = new URL(jiraBaseUrl);
  const scheme = url.protocol.replace(/:$/, '');
  const port = url.port === '' ? undefined : Number(url.port);

  return {
    host: url.hostname.toLowerCase(),
    port: port === defaultPort(scheme) ? undefined : port,
    segments: url.pathname.split('/').filter((segment) => segment !== ''),
  };
}

function isJiraSite(parts: UrlParts, site: JiraSite): boolean {
  return parts.host === site.host && parts.port === site.port;
}

function parseJira(parts: UrlParts, site: JiraSite): IssueRef | string {
  const prefix = parts.segments.slice(0, site.segments.length);
  const rest = parts.segments.slice(site.segments.length);
  const issueKey = rest[1] ?? '';
  const dash = issueKey.lastIndexOf('-');
  if (
    prefix.join('/') !== site.segments.join('/') ||
    rest.length !== 2 ||
    rest[0] !== 'browse' ||
    dash < 0
  ) {
    return `path ${quoteForMessage(parts.path)} is not an issue path`;
  }

  const project = issueKey.slice(0, dash).toUpperCase();
  const key = issueKey.slice(dash + 1);
  const problem = checkJiraProject(project) ?? checkIssueNumber(key);
  if (problem !== undefined) {
    return problem;
  }

  return { source: 'JIRA', project, key };
}

function describeUnknownHost(parts: UrlParts, jiraBaseUrl: string): string {
  const host =
    parts.port === undefined ? parts.host : `${parts.host}:${parts.port}`;
  if (parts.host === 'launchpad.net') {
    return 'Launchpad bugs live on bugs.launchpad.net';
  }
  if (parts.host.endsWith('.atlassian.net')) {
    return `host ${host} is not the Jira site of JIRA_BASE_URL (${jiraBaseUrl})`;
  }

  return `unknown host ${host}`;
}

function parseParts(text: string, options: IssueUrlOptions): IssueRef | string {
  if (text === '') {
    return 'it is empty';
  }
  if (text.length > MAX_ISSUE_URL_LENGTH) {
    return `it is longer than ${MAX_ISSUE_URL_LENGTH} characters`;
  }

  const parts = splitUrl(text);
  if (typeof parts === 'string') {
    return parts;
  }
  if (parts.host === 'github.com' || parts.host === 'www.github.com') {
    return parseGithub(parts);
  }
  if (parts.host === 'bugs.launchpad.net') {
    return parseLaunchpad(parts);
  }

  const site = readJiraSite(options.jiraBaseUrl);
  if (isJiraSite(parts, site)) {
    return parseJira(parts, site);
  }

  return describeUnknownHost(parts, options.jiraBaseUrl);
}

/**
 * Parses the URL of a GitHub issue, a Jira issue on the configured site or
 * a Launchpad bug into a normalised IssueRef. Accepts http or https, a
 * trailing slash, a query string and a fragment, and trims surrounding
 * whitespace. Issue numbers with leading zeros are rejected, not
 * normalised, so that one issue never has two spellings.
 *
 * @throws IssueUrlError naming the input, the reason and the accepted forms
 */
export function parseIssueUrl(
  input: string,
  options: IssueUrlOptions,
): IssueRef {
  const text = typeof input === 'string' ? input.trim() : '';
  const result =
    typeof input === 'string'
      ? parseParts(text, options)
      : 'it is not a string';
  if (typeof result === 'string') {
    throw new IssueUrlError(
      typeof input === 'string' ? text : String(input),
      result,
      options.jiraBaseUrl,
    );
  }

  return result;
}

// Keeps `+`, which Launchpad names contain and paths allow unencoded.
function encodeSegment(text: string): string {
  return encodeURIComponent(text).replace(/%2B/g, '+');
}

/**
 * Builds the URL a person opens for an issue. Every part is percent-encoded
 * except `+`, so an odd stored value cannot move the URL to another host.
 * It does not validate: use checkIssueRef for that.
 *
 * @throws TypeError when `ref.source` is not a known tracker
 */
export function formatIssueUrl(
  ref: IssueRef,
  options: IssueUrlOptions,
): string {
  const key = encodeSegment(ref.key);
  switch (ref.source) {
    case 'GITHUB': {
      const slash = ref.project.indexOf('/');
      const owner = slash < 0 ? ref.project : ref.project.slice(0, slash);
      const repository = slash < 0 ? '' : ref.project.slice(slash + 1);
      const path = `${encodeSegment(owner)}/${encodeSegment(repository)}`;
      return `https://github.com/${path}/issues/${key}`;
    }
    case 'JIRA': {
      const base = options.jiraBaseUrl.replace(/\/+$/, '');
      return `${base}/browse/${encodeSegment(ref.project)}-${key}`;
    }
    case 'LAUNCHPAD':
      return `https://bugs.launchpad.net/${encodeSegment(ref.project)}/+bug/${key}`;
    default:
      throw new TypeError(
        `cannot format an issue URL for source ${JSON.stringify(ref.source)}: use GITHUB, JIRA or LAUNCHPAD`,
      );
  }
}
