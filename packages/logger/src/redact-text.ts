/** What every redacted part of a text or value is replaced with. */
export const REDACTED = '***';

/** Strings longer than this are cut, after redaction, with a marker. */
export const MAX_STRING_LENGTH = 2000;

/**
 * Longer strings are cut to this before redaction, which keeps the regular
 * expressions cheap on megabyte inputs.
 */
const MAX_SCANNED_LENGTH = 64 * 1024;

/**
 * Secrets shorter than this are ignored: redacting every occurrence of two
 * or three characters would blank ordinary words.
 */
export const MIN_SECRET_LENGTH = 4;

// `scheme://user:password@host`: the password may contain an unencoded `@`,
// so the greedy class runs to the last `@` before the path.
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*):[^\s/?#]*@/gi;

// HTTP authentication schemes followed by a credential, as in an
// Authorization header value copied into a message.
const AUTH_SCHEME = /\b(basic|bearer|token)(\s+)([A-Za-z0-9+/=._~-]{8,})/gi;

// A header name followed by its value, in `Name: value` or JSON form.
const HEADER_IN_TEXT =
  /\b((?:proxy-)?authorization|set-cookie|cookie|x-api-key)(["']?\s*[:=]\s*["']?)([^"'\r\n]+)/gi;

// Query parameters that commonly carry credentials.
const CREDENTIAL_QUERY_PARAMETER =
  /([?&;][^=&#\s]*(?:token|secret|password|passwd|api[-_]?key|access[-_]?key|signature|auth)[^=&#\s]*=)[^&#\s]+/gi;

// Tells a credential from an English word after "basic", "bearer" or
// "token": credentials mix cases, or contain digits or punctuation.
function looksLikeCredential(word: string): boolean {
  return (
    /\d/.test(word) ||
    /[+/=._~-]/.test(word) ||
    (/[a-z]/.test(word) && /[A-Z]/.test(word))
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Lists a secret as written, percent-encoded and JSON-escaped. */
function secretForms(secret: string): string[] {
  const forms = new Set([secret]);
  forms.add(encodeURIComponent(secret));
  forms.add(JSON.stringify(secret).slice(1, -1));

  return [...forms];
}

/** Redacts credentials in strings; built once per logger. */
export class TextRedactor {
  private secretPattern: RegExp | undefined;
  private longestSecret = 0;
  private secrets: readonly string[] = [];

  constructor(secrets: readonly string[]) {
    this.addSecrets(secrets);
  }

  /** Redacts `secrets` too from now on, besides the ones already known. */
  addSecrets(secrets: readonly string[]): void {
    this.secrets = [...new Set([...this.secrets, ...secrets])];
    const forms = this.secrets
      .filter((secret) => secret.length >= MIN_SECRET_LENGTH)
      .flatMap(secretForms)
      .sort((a, b) => b.length - a.length);
    this.longestSecret = forms[0]?.length ?? 0;
    this.secretPattern =
      forms.length === 0
        ? undefined
        : new RegExp(forms.map(escapeRegExp).join('|'), 'g');
  }

  /**
   * Replaces known secrets, URL passwords, `Basic`/`Bearer`/`token`
   * credentials, credential headers and credential query parameters with
   * `***`, then cuts the result to MAX_STRING_LENGTH characters.
   */
  redact(text: string): string {
    const scanned = text.length > MAX_SCANNED_LENGTH;
    let result = scanned ? text.slice(0, MAX_SCANNED_LENGTH) : text;
    if (this.secretPattern !== undefined) {
      result = result.replace(this.secretPattern, REDACTED);
    }
    result = result
      .replace(URL_PASSWORD, `$1:${REDACTED}@`)
      .replace(AUTH_SCHEME, (match, scheme: string, space: string, word) =>
        looksLikeCredential(word) ? `${scheme}${space}${REDACTED}` : match,
      )
      .replace(HEADER_IN_TEXT, `$1$2${REDACTED}`)
      .replace(CREDENTIAL_QUERY_PARAMETER, `$1${REDACTED}`);

    // A cut before redaction may have split a secret, so its remaining
    // prefix is dropped along with the tail.
    const limit = scanned
      ? Math.min(MAX_STRING_LENGTH, result.length - this.longestSecret - 256)
      : MAX_STRING_LENGTH;
    if (result.length <= limit && !scanned) {
      return result;
    }

    return `${result.slice(0, Math.max(0, limit))}…[truncated, ${text.length} characters]`;
  }
}
