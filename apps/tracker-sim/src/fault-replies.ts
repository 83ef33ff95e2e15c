import { githubHtmlPage, githubStatusReply } from './github/github-bodies';
import type { Reply } from './http-reply';
import { jiraHtmlPage, jiraStatusReply } from './jira/jira-bodies';
import {
  launchpadHtmlPage,
  launchpadStatusReply,
} from './launchpad/launchpad-bodies';
import type { FaultBody, SimFault, SimSource } from './types';

/** Size of the padding a `huge` body carries: above the 5 MiB default cap. */
export const HUGE_PADDING_BYTES = 8 * 1024 * 1024;

let padding: string | undefined;

function hugePadding(): string {
  padding ??= 'x'.repeat(HUGE_PADDING_BYTES);

  return padding;
}

/** Builds the tracker's own error response for a status forced by a fault. */
export function faultStatusReply(
  tracker: SimSource,
  status: number,
  retryAfterSec: number | undefined,
  nowMs: number,
): Reply {
  if (tracker === 'github') {
    return githubStatusReply(status, retryAfterSec, nowMs);
  }
  if (tracker === 'jira') {
    return jiraStatusReply(status, retryAfterSec, nowMs);
  }

  return launchpadStatusReply(status, retryAfterSec);
}

/** Gives every value the wrong type while keeping the keys. */
function scramble(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.length;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (Array.isArray(value)) {
    return Object.fromEntries(
      value.map((item, index) => [String(index), scramble(item)]),
    );
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, scramble(item)]),
    );
  }

  return value;
}

function htmlPage(tracker: SimSource, status: number): Reply {
  if (tracker === 'github') {
    return githubHtmlPage(status);
  }
  if (tracker === 'jira') {
    return jiraHtmlPage(status);
  }

  return launchpadHtmlPage(status);
}

/** Replaces a reply's body with the fault's `body` kind. */
export function applyBodyFault(
  reply: Reply,
  kind: FaultBody,
  tracker: SimSource,
): Reply {
  switch (kind) {
    case 'malformed':
      // Dropping the last character and closing with ",}" is never valid JSON.
      return {
        ...reply,
        json: undefined,
        body: `${reply.body.slice(0, -1)},}`,
      };
    case 'truncated':
      return { ...reply, truncate: true };
    case 'html': {
      const page = htmlPage(tracker, reply.status);

      return { ...page, headers: { ...reply.headers, ...page.headers } };
    }
    case 'wrong-shape': {
      const json = scramble(reply.json ?? { message: reply.body });

      return { ...reply, json, body: JSON.stringify(json) };
    }
    case 'huge': {
      const isObject = reply.body.startsWith('{') && reply.body.endsWith('}');
      const body = isObject
        ? `${reply.body.slice(0, -1)}${reply.body === '{}' ? '' : ','}"padding":"${hugePadding()}"}`
        : `${reply.body}${' '.repeat(HUGE_PADDING_BYTES)}`;

      return { ...reply, json: undefined, body };
    }
  }
}

/** Describes a fault for the request log, such as `delay 50ms, status 503`. */
export function describeFault(fault: SimFault): string {
  const parts: string[] = [];
  if (fault.delayMs !== undefined) {
    parts.push(`delay ${fault.delayMs}ms`);
  }
  if (fault.reset) {
    parts.push('reset');
  } else {
    if (fault.status !== undefined) {
      parts.push(`status ${fault.status}`);
    }
    if (fault.body !== undefined) {
      parts.push(`body ${fault.body}`);
    }
  }

  return parts.length === 0 ? 'none' : parts.join(', ');
}
