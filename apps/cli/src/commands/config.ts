import { describeConfig, formatConfigLines } from '@issue-sync/config';
import type { CommandContext } from '../context';
import { print, printError, printJson } from '../output';

/** `issue-sync config [NAME]`: the effective configuration and where each value came from. */
export function configCommand(
  context: CommandContext,
  name: string | undefined,
  options: { json: boolean },
): number {
  let entries = describeConfig(context.loaded);
  if (name !== undefined) {
    const wanted = name.toLowerCase();
    entries = entries.filter(
      (entry) =>
        entry.fileKey === wanted || entry.name.toLowerCase() === wanted,
    );
    if (entries.length === 0) {
      printError(
        `unknown option ${name}: run \`issue-sync config\` to list every option`,
      );
      return 1;
    }
  }
  if (options.json) {
    printJson(entries);
  } else {
    for (const line of formatConfigLines(entries)) {
      print(line);
    }
  }
  for (const warning of context.loaded.warnings) {
    printError(`warning: ${warning}`);
  }

  return 0;
}
