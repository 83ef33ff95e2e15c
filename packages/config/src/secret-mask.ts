/** Secrets at least this long show their last four characters when masked. */
const MIN_LENGTH_TO_SHOW_TAIL = 20;

/**
 * Masks a secret for display: `unset`, `set`, or `set (…abcd)` with the last
 * four characters when the secret has at least 20, so short passwords give
 * nothing away.
 */
export function maskSecret(value: string | undefined): string {
  if (value === undefined || value === '') {
    return 'unset';
  }
  if (value.length < MIN_LENGTH_TO_SHOW_TAIL) {
    return 'set';
  }

  return `set (…${value.slice(-4)})`;
}

interface UrlUserinfo {
  /** Everything up to and including `scheme://`. */
  prefix: string;
  username: string;
  password: string | undefined;
  /** `@host...`, the rest of the URL. */
  rest: string;
}

// Splits at the last `@` of the authority, because an unencoded `@` inside a
// password would otherwise leave its tail in the output.
function splitUserinfo(url: string): UrlUserinfo | undefined {
  const schemeEnd = url.indexOf('://');
  if (schemeEnd < 0) {
    return undefined;
  }

  const authorityStart = schemeEnd + 3;
  const match = /[/?#]/.exec(url.slice(authorityStart));
  const authorityEnd =
    match === null ? url.length : authorityStart + match.index;
  const at = url.lastIndexOf('@', authorityEnd - 1);
  if (at < authorityStart) {
    return undefined;
  }

  const userinfo = url.slice(authorityStart, at);
  const colon = userinfo.indexOf(':');

  return {
    prefix: url.slice(0, authorityStart),
    username: colon < 0 ? userinfo : userinfo.slice(0, colon),
    password: colon < 0 ? undefined : userinfo.slice(colon + 1),
    rest: url.slice(at),
  };
}

/**
 * Replaces the password of a `scheme://user:password@host` URL with `***`.
 * Works on text that is not a valid URL too, so it is safe for error output.
 */
export function maskUrlPassword(url: string): string {
  const parts = splitUserinfo(url);
  if (parts === undefined || parts.password === undefined) {
    return url;
  }

  return `${parts.prefix}${parts.username}:***${parts.rest}`;
}

/**
 * Returns the password inside a URL as written and percent-decoded, or an
 * empty list when there is none.
 */
export function urlPasswordForms(url: string): string[] {
  const parts = splitUserinfo(url);
  if (parts === undefined || !parts.password) {
    return [];
  }

  const forms = [parts.password];
  try {
    const decoded = decodeURIComponent(parts.password);
    if (decoded !== parts.password) {
      forms.push(decoded);
    }
  } catch {
    // A malformed escape leaves only the password as written to redact.
  }

  return forms;
}

/** Returns the user name inside a URL, or undefined when there is none. */
export function urlUsername(url: string): string | undefined {
  return splitUserinfo(url)?.username;
}
