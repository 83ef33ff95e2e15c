import type { TrackerError } from '@issue-sync/tracker-core';

import { FakeGithub, replay } from './testing/fake-github';
import {
  TEST_TOKEN,
  createHarness,
  settle,
  type AdapterHarness,
} from './testing/harness';

describe('GithubAdapter.checkCredentials', () => {
  let github: FakeGithub;
  let harness: AdapterHarness;

  beforeEach(async () => {
    github = await FakeGithub.start(TEST_TOKEN);
    harness = createHarness(github.apiUrl);
  });

  afterEach(async () => {
    await harness.adapter.close();
    await github.close();
  });

  it('asks for viewer.login in one request', async () => {
    await harness.adapter.checkCredentials();

    expect(github.graphqlRequests).toHaveLength(1);
    expect(github.graphqlRequests[0]?.graphql?.query).toContain(
      'viewer { login }',
    );
  });

  describe('when the token is a classic token', () => {
    it('reports a token without scopes as enough for public repositories', async () => {
      github.scopes = '';

      await expect(harness.adapter.checkCredentials()).resolves.toEqual({
        ok: true,
        summary: 'token of octocat, scopes: none (public repositories only)',
        warnings: [],
      });
    });

    it('warns that repo is needed only for private repositories', async () => {
      github.scopes = 'repo';

      await expect(harness.adapter.checkCredentials()).resolves.toEqual({
        ok: true,
        summary: 'token of octocat, scopes: repo',
        warnings: [
          'scope repo grants read and write access to every private repository of the account: it is needed only when tracking private repositories, so drop it if all tracked repositories are public',
        ],
      });
    });

    it('warns about write, admin and unneeded read scopes', async () => {
      github.scopes =
        'admin:org, delete_repo, read:org, workflow, write:packages';

      const report = await harness.adapter.checkCredentials();

      expect(report.ok).toBe(true);
      expect(report.summary).toBe(
        'token of octocat, scopes: admin:org, delete_repo, read:org, workflow, write:packages',
      );
      expect(report.warnings).toEqual([
        'scopes admin:org, delete_repo, workflow, write:packages grant write or admin access that issue-sync never uses: create a token without them',
        'scopes read:org are not needed to read issues: a token without them is enough',
      ]);
    });
  });

  describe('when GitHub sends no scopes header', () => {
    it('says that fine-grained tokens do not report scopes', async () => {
      github.scopes = null;

      await expect(harness.adapter.checkCredentials()).resolves.toEqual({
        ok: true,
        summary:
          'token of octocat, scopes unknown: GitHub sends no X-OAuth-Scopes for fine-grained and GitHub App tokens; such a token needs read-only access to Issues, Pull requests and Metadata of the tracked repositories',
        warnings: [],
      });
    });
  });

  describe('when the token is expired or revoked', () => {
    it('reports the 401 as a failed check', async () => {
      github.intercept(() => replay('graphql-401-bad-credentials'));

      await expect(harness.adapter.checkCredentials()).resolves.toEqual({
        ok: false,
        summary: `401 Unauthorized from GitHub at ${github.apiUrl}: check GITHUB_TOKEN (it may be expired or revoked)`,
        warnings: [],
      });
    });
  });

  describe('when GITHUB_TOKEN is not set', () => {
    it('reports the missing token without a request', async () => {
      await harness.adapter.close();
      harness = createHarness(github.apiUrl, { token: undefined });

      const report = await harness.adapter.checkCredentials();

      expect(report.ok).toBe(false);
      expect(report.summary).toMatch(/^GITHUB_TOKEN is not set: /);
      expect(github.requests).toHaveLength(0);
    });
  });

  describe('when GitHub cannot be checked', () => {
    it('throws the classified failure', async () => {
      github.intercept(() => ({
        status: 503,
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }));

      const error = (await settle(
        harness.adapter.checkCredentials(),
      )) as TrackerError;

      expect(error.kind).toBe('unavailable');
      expect(error.httpStatus).toBe(503);
    });
  });
});
