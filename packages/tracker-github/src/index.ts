export { createGithubAdapter } from './github-adapter';
export { MAX_BATCH_SIZE } from './github-settings';
export type { GithubAdapterOptions } from './github-settings';
