import { createHash } from 'node:crypto';

import { parseJiraKey, type JiraRecord } from '../issue-store';
import { JIRA_FIELDS, type JiraField } from './jira-bodies';

/**
 * Resolves a Jira `fields` list: names, `*all`, `*navigable` and `-name`
 * exclusions. Unknown names are dropped, as Jira drops them.
 */
export function resolveFields(requested: readonly string[]): Set<JiraField> {
  const fields = new Set<JiraField>();
  const names = requested
    .flatMap((item) => item.split(','))
    .map((name) => name.trim());
  for (const name of names) {
    if (name === '*all' || name === '*navigable') {
      JIRA_FIELDS.forEach((field) => fields.add(field));
    } else if ((JIRA_FIELDS as readonly string[]).includes(name)) {
      fields.add(name as JiraField);
    }
  }
  for (const name of names) {
    if (name.startsWith('-')) {
      fields.delete(name.slice(1) as JiraField);
    }
  }

  return fields;
}

function hashJql(jql: string): string {
  return createHash('sha1').update(jql).digest('base64url').slice(0, 10);
}

/** Encodes the offset of the next page, tied to the JQL text. */
export function encodePageToken(offset: number, jql: string): string {
  return Buffer.from(`${offset}:${hashJql(jql)}`).toString('base64url');
}

/**
 * Returns the offset a token from encodePageToken carries, or undefined when
 * the token is invalid or belongs to other JQL.
 */
export function decodePageToken(
  token: string,
  jql: string,
): number | undefined {
  const match = /^([0-9]+):(.+)$/.exec(
    Buffer.from(token, 'base64url').toString('utf8'),
  );
  if (match === null || match[2] !== hashJql(jql)) {
    return undefined;
  }

  return Number(match[1]);
}

/** Orders issues by the key they are shown under: project, then number. */
export function compareKeys(a: JiraRecord, b: JiraRecord): number {
  const keyA = parseJiraKey(a.movedTo ?? a.issueKey)!;
  const keyB = parseJiraKey(b.movedTo ?? b.issueKey)!;
  if (keyA.project !== keyB.project) {
    return keyA.project < keyB.project ? -1 : 1;
  }

  return keyA.number - keyB.number;
}
