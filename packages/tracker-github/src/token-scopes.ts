import type { CredentialReport } from '@issue-sync/tracker-core';

/**
 * Builds the credential report from the viewer's login and the
 * `x-oauth-scopes` header. Reading public issues needs no scope at all, and
 * `repo` is needed only for private repositories. Scopes that write or
 * administer are more than issue-sync uses. `scopesHeader` is null when
 * GitHub sent no header, as for fine-grained and GitHub App tokens.
 */
export function toCredentialReport(
  login: string,
  scopesHeader: string | null,
): CredentialReport {
  if (scopesHeader === null) {
    return {
      ok: true,
      summary: `token of ${login}, scopes unknown: GitHub sends no X-OAuth-Scopes for fine-grained and GitHub App tokens; such a token needs read-only access to Issues, Pull requests and Metadata of the tracked repositories`,
      warnings: [],
    };
  }

  const scopes = scopesHeader
    .split(',')
    .map((scope) => scope.trim())
    .filter((scope) => scope !== '');
  const warnings: string[] = [];
  if (scopes.includes('repo')) {
    warnings.push(
      'scope repo grants read and write access to every private repository of the account: it is needed only when tracking private repositories, so drop it if all tracked repositories are public',
    );
  }

  const writing = scopes.filter(
    (scope) => scope !== 'repo' && !isReadOnlyScope(scope),
  );
  if (writing.length > 0) {
    warnings.push(
      `scopes ${writing.join(', ')} grant write or admin access that issue-sync never uses: create a token without them`,
    );
  }
  const reading = scopes.filter(isReadOnlyScope);
  if (reading.length > 0) {
    warnings.push(
      `scopes ${reading.join(', ')} are not needed to read issues: a token without them is enough`,
    );
  }

  return {
    ok: true,
    summary: `token of ${login}, scopes: ${scopes.length > 0 ? scopes.join(', ') : 'none (public repositories only)'}`,
    warnings,
  };
}

function isReadOnlyScope(scope: string): boolean {
  return scope.startsWith('read:') || scope === 'user:email';
}
