export { createJiraAdapter } from './jira-adapter';
export type { JiraAdapterOptions } from './jira-adapter';
