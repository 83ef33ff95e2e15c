import {
  resolveGithubSettings,
  type GithubAdapterOptions,
} from './github-settings';

const baseOptions: GithubAdapterOptions = {
  token: 'ghp_token',
  apiUrl: 'https://api.github.com',
  timeoutMs: 15_000,
  batchWindowMs: 5,
  batchSize: 50,
  maxResponseBytes: 5 * 1024 * 1024,
  userAgent: 'issue-sync/0.1.0',
};

describe('resolveGithubSettings', () => {
  it('derives the origin and the REST base of api.github.com', () => {
    const settings = resolveGithubSettings({
      ...baseOptions,
      apiUrl: 'https://api.github.com/',
    });

    expect(settings.apiUrl).toBe('https://api.github.com');
    expect(settings.origin).toBe('https://api.github.com');
    expect(settings.restBaseUrl).toBe('https://api.github.com');
  });

  it('puts REST below /api/v3 on GitHub Enterprise Server', () => {
    const settings = resolveGithubSettings({
      ...baseOptions,
      apiUrl: 'https://ghe.example.com/api',
    });

    expect(settings.apiUrl).toBe('https://ghe.example.com/api');
    expect(settings.restBaseUrl).toBe('https://ghe.example.com/api/v3');
  });

  it('keeps REST below a path prefix such as the simulator one', () => {
    const settings = resolveGithubSettings({
      ...baseOptions,
      apiUrl: 'http://127.0.0.1:4000/github',
    });

    expect(settings.restBaseUrl).toBe('http://127.0.0.1:4000/github');
  });

  it('treats an empty token as no token', () => {
    expect(
      resolveGithubSettings({ ...baseOptions, token: '' }).token,
    ).toBeUndefined();
  });

  it.each([
    [
      { apiUrl: 'not a url' },
      'GITHUB_API_URL "not a url" is not a valid URL: set it to https://api.github.com or https://HOST/api for GitHub Enterprise Server',
    ],
    [
      { apiUrl: 'ftp://github.example' },
      'GITHUB_API_URL "ftp://github.example" uses ftp: expected an http or https URL',
    ],
    [
      { apiUrl: 'https://api.github.com?x=1' },
      'GITHUB_API_URL "https://api.github.com?x=1" has a query or fragment: expected a base URL such as https://api.github.com',
    ],
    [
      { batchSize: 0 },
      'GitHub adapter option batchSize is 0: expected an integer from 1 to 100',
    ],
    [
      { batchSize: 101 },
      'GitHub adapter option batchSize is 101: expected an integer from 1 to 100',
    ],
    [
      { timeoutMs: 0 },
      'GitHub adapter option timeoutMs is 0: expected a positive integer',
    ],
    [
      { maxResponseBytes: 1.5 },
      'GitHub adapter option maxResponseBytes is 1.5: expected a positive integer',
    ],
    [
      { batchWindowMs: -1 },
      'GitHub adapter option batchWindowMs is -1: expected an integer of 0 or more milliseconds',
    ],
    [
      { userAgent: ' ' },
      'GitHub adapter option userAgent is empty: GitHub rejects requests without a User-Agent, so pass one such as "issue-sync/0.1.0"',
    ],
    [
      { token: 'ghp_abc\ndef' },
      'GITHUB_TOKEN contains spaces, line breaks or non-ASCII characters: set it to the token alone',
    ],
  ] as const)('rejects %j', (override, message) => {
    expect(() =>
      resolveGithubSettings({ ...baseOptions, ...override }),
    ).toThrow(message);
  });
});
