import type { IssueSnapshot } from '@issue-sync/tracker-core';

import { isObject } from './json-value';

/** One page of an issue's labels. */
export interface LabelPage {
  labels: string[];
  /** Cursor of the next page, or null when this page is the last. */
  nextCursor: string | null;
}

/** An issue or pull request as the batch query returns it. */
export interface IssueNode {
  typename: 'Issue' | 'PullRequest';
  title: string;
  /** Issue: OPEN or CLOSED. Pull request: OPEN, CLOSED or MERGED. */
  state: string;
  stateReason: string | null;
  url: string;
  firstLabels: LabelPage;
}

const ISSUE_STATES = new Set(['OPEN', 'CLOSED']);
const PULL_REQUEST_STATES = new Set(['OPEN', 'CLOSED', 'MERGED']);

/** Reads an `IssueFields` selection. Returns what is wrong when it does not fit. */
export function readIssueNode(value: unknown): IssueNode | string {
  if (!isObject(value)) {
    return 'the issue is not an object';
  }

  const typename = value.__typename;
  if (typename !== 'Issue' && typename !== 'PullRequest') {
    return `__typename is ${JSON.stringify(typename)}, expected Issue or PullRequest`;
  }
  const state = typename === 'Issue' ? value.state : value.pullRequestState;
  const states = typename === 'Issue' ? ISSUE_STATES : PULL_REQUEST_STATES;
  if (typeof state !== 'string' || !states.has(state)) {
    return `${typename} state is ${JSON.stringify(state)}`;
  }
  if (typeof value.title !== 'string') {
    return `${typename} title is missing`;
  }
  const stateReason = typename === 'Issue' ? (value.stateReason ?? null) : null;
  if (stateReason !== null && typeof stateReason !== 'string') {
    return `stateReason is ${JSON.stringify(stateReason)}`;
  }
  const firstLabels = readLabelPage(value.labels);
  if (typeof firstLabels === 'string') {
    return firstLabels;
  }

  return {
    typename,
    title: value.title,
    state,
    stateReason,
    url: typeof value.url === 'string' ? value.url : '',
    firstLabels,
  };
}

/** Reads a `LabelPage` selection. Returns what is wrong when it does not fit. */
export function readLabelPage(value: unknown): LabelPage | string {
  if (!isObject(value) || !Array.isArray(value.nodes)) {
    return 'labels.nodes is missing';
  }

  const labels: string[] = [];
  for (const node of value.nodes) {
    if (!isObject(node) || typeof node.name !== 'string') {
      return 'a label has no name';
    }
    labels.push(node.name);
  }

  const pageInfo = value.pageInfo;
  if (!isObject(pageInfo) || typeof pageInfo.hasNextPage !== 'boolean') {
    return 'labels.pageInfo.hasNextPage is missing';
  }
  if (!pageInfo.hasNextPage) {
    return { labels, nextCursor: null };
  }
  if (typeof pageInfo.endCursor !== 'string' || pageInfo.endCursor === '') {
    return 'labels.pageInfo.endCursor is missing although hasNextPage is true';
  }

  return { labels, nextCursor: pageInfo.endCursor };
}

/**
 * Maps an issue or pull request to a snapshot. Issues keep their state
 * reason as tracker status when they have one (NOT_PLANNED, REOPENED,
 * COMPLETED, DUPLICATE). Pull requests count as closed once CLOSED or
 * MERGED and keep that state as tracker status.
 */
export function toSnapshot(node: IssueNode, labels: string[]): IssueSnapshot {
  if (node.typename === 'PullRequest') {
    return {
      title: node.title,
      status: node.state === 'OPEN' ? 'OPEN' : 'CLOSED',
      trackerStatus: node.state,
      labels,
    };
  }

  return {
    title: node.title,
    status: node.state === 'OPEN' ? 'OPEN' : 'CLOSED',
    trackerStatus: node.stateReason ?? node.state,
    labels,
  };
}
