import {
  type DocumentNode,
  type FragmentDefinitionNode,
  getOperationAST,
  Kind,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/** The cost figures GitHub reports for one query. */
export interface QueryCost {
  /** Points charged: connections requested divided by 100, at least 1. */
  cost: number;
  /** Nodes the query may return: the sum of `first`/`last` of each connection. */
  nodeCount: number;
  /** Set by `rateLimit(dryRun: true)`, which reports the cost without spending it. */
  dryRun: boolean;
}

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  if (node.kind === Kind.VARIABLE) {
    return variables[node.name.value];
  }
  if (node.kind === Kind.INT) {
    return Number(node.value);
  }
  if (node.kind === Kind.BOOLEAN) {
    return node.value;
  }

  return undefined;
}

/**
 * Estimates a query's cost with GitHub's published formula: each connection
 * (a field with `first` or `last`) counts as one request, and the sum is
 * divided by 100 and rounded, with a minimum of 1. The simulator's only
 * connection is `labels`, which contains no nested connection, so no
 * multiplication by parent page sizes is needed.
 */
export function estimateQueryCost(
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
): QueryCost {
  const operation = getOperationAST(document, operationName);
  if (operation === null || operation === undefined) {
    return { cost: 1, nodeCount: 0, dryRun: false };
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }

  let connections = 0;
  let nodeCount = 0;
  let dryRun = false;
  const walk = (selectionSet: SelectionSetNode, depth: number): void => {
    // Validation rejects fragment cycles; the depth bound is a second guard.
    if (depth > 64) {
      return;
    }
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment !== undefined) {
          walk(fragment.selectionSet, depth + 1);
        }
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, depth + 1);
        continue;
      }
      for (const argument of selection.arguments ?? []) {
        const value = valueOf(argument.value, variables);
        if (argument.name.value === 'first' || argument.name.value === 'last') {
          connections += 1;
          nodeCount += typeof value === 'number' ? Math.max(0, value) : 0;
        }
        if (
          selection.name.value === 'rateLimit' &&
          argument.name.value === 'dryRun'
        ) {
          dryRun = value === true;
        }
      }
      if (selection.selectionSet !== undefined) {
        walk(selection.selectionSet, depth + 1);
      }
    }
  };
  walk(operation.selectionSet, 0);

  return {
    cost: Math.max(1, Math.round(connections / 100)),
    nodeCount,
    dryRun,
  };
}
