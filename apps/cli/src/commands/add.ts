import { upsertIssues } from '@issue-sync/db';
import {
  IssueUrlError,
  parseIssueUrl,
  type IssueRef,
} from '@issue-sync/tracker-core';
import type { CommandContext } from '../context';
import { print, printError } from '../output';

/** `issue-sync add URL...`: registers issues; returns the exit code. */
export async function addCommand(
  context: CommandContext,
  urls: string[],
): Promise<number> {
  const refs: IssueRef[] = [];
  let invalid = 0;
  for (const url of urls) {
    try {
      refs.push(
        parseIssueUrl(url, { jiraBaseUrl: context.config.jira.baseUrl }),
      );
    } catch (error) {
      if (!(error instanceof IssueUrlError)) {
        throw error;
      }
      invalid += 1;
      printError(error.message);
    }
  }
  const result = await upsertIssues(context.db, refs);
  print(
    `registered ${result.created} new, ${result.existing} already registered, ${invalid} invalid`,
  );

  return invalid === 0 ? 0 : 1;
}
