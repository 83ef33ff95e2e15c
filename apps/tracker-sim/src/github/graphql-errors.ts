import {
  type ASTNode,
  type DocumentNode,
  type GraphQLError,
  Kind,
  visit,
} from 'graphql';

import { GitHubQueryError } from './resolvers';

/** One entry of `errors[]` in GitHub's order: type, path, extensions, locations, message. */
export interface GitHubErrorEntry {
  type?: string;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  message: string;
}

// graphql-ruby, which serves GitHub's API, names tokens this way in its
// parse errors.
const TOKEN_NAMES: Record<string, string> = {
  '{': 'LCURLY',
  '}': 'RCURLY',
  '(': 'LPAREN',
  ')': 'RPAREN',
  '[': 'LBRACKET',
  ']': 'RBRACKET',
  ':': 'COLON',
  '=': 'EQUALS',
  '!': 'BANG',
  $: 'VAR_SIGN',
  '...': 'ELLIPSIS',
  '@': 'DIR_SIGN',
  '|': 'PIPE',
  '&': 'AMP',
};
const TOKEN_KINDS: Record<string, string> = {
  Name: 'IDENTIFIER',
  Int: 'INT',
  Float: 'FLOAT',
  String: 'STRING',
  BlockString: 'STRING',
};

function locationsOf(error: GraphQLError): GitHubErrorEntry['locations'] {
  return error.locations?.map(({ line, column }) => ({ line, column }));
}

/** Rewrites a graphql-js syntax error into GitHub's wording. */
export function toGitHubParseError(error: GraphQLError): GitHubErrorEntry {
  // graphql-js words these as `Expected X, found Y.` or `Unexpected Y.`.
  const found =
    /(?:found|Unexpected) (?:(Name|Int|Float|String|BlockString) )?"(.*)"\.$/.exec(
      error.message,
    );
  const location = error.locations?.[0];
  let message: string;
  if (/(?:found|Unexpected) <EOF>\.$/.test(error.message)) {
    message = 'Unexpected end of document';
  } else if (found !== null && location !== undefined) {
    const token = found[2]!;
    const name = found[1] ? TOKEN_KINDS[found[1]] : TOKEN_NAMES[token];
    message = `Parse error on "${token}" (${name ?? 'UNKNOWN_CHAR'}) at [${location.line}, ${location.column}]`;
  } else {
    message = error.message.replace(/^Syntax Error: /, '');
  }

  return { message, locations: locationsOf(error) };
}

/**
 * Maps each field node to its path as graphql-ruby reports validation
 * errors: the operation (`query` or `query Name`) followed by response keys.
 */
function fieldPaths(document: DocumentNode): Map<ASTNode, string[]> {
  const paths = new Map<ASTNode, string[]>();
  const stack: string[] = [];
  visit(document, {
    OperationDefinition: {
      enter(node) {
        stack.push(
          node.name ? `${node.operation} ${node.name.value}` : node.operation,
        );
      },
      leave() {
        stack.pop();
      },
    },
    FragmentDefinition: {
      enter(node) {
        stack.push(`fragment ${node.name.value}`);
      },
      leave() {
        stack.pop();
      },
    },
    Field: {
      enter(node) {
        stack.push(node.alias?.value ?? node.name.value);
        paths.set(node, [...stack]);
      },
      leave() {
        stack.pop();
      },
    },
  });

  return paths;
}

function findFieldNode(error: GraphQLError): ASTNode | undefined {
  return error.nodes?.find((node) => node.kind === Kind.FIELD);
}

/**
 * Rewrites graphql-js validation errors into GitHub's form. Undefined
 * fields, unknown arguments and missing arguments get graphql-ruby's
 * messages, codes and paths; other errors keep graphql-js's message.
 */
export function toGitHubValidationErrors(
  document: DocumentNode,
  errors: readonly GraphQLError[],
): GitHubErrorEntry[] {
  let paths: Map<ASTNode, string[]> | undefined;
  const pathOf = (error: GraphQLError): string[] | undefined => {
    const node = findFieldNode(error);
    if (node === undefined) {
      return undefined;
    }
    paths ??= fieldPaths(document);

    return paths.get(node);
  };

  return errors.map((error) => {
    const undefinedField = /^Cannot query field "(\w+)" on type "(\w+)"\./.exec(
      error.message,
    );
    if (undefinedField !== null) {
      const [, fieldName, typeName] = undefinedField;
      return {
        path: pathOf(error),
        extensions: { code: 'undefinedField', typeName, fieldName },
        locations: locationsOf(error),
        message: `Field '${fieldName}' doesn't exist on type '${typeName}'`,
      };
    }
    const unknownArgument =
      /^Unknown argument "(\w+)" on field "(\w+)\.(\w+)"\./.exec(error.message);
    if (unknownArgument !== null) {
      const [, argumentName, , fieldName] = unknownArgument;
      return {
        path: pathOf(error),
        extensions: {
          code: 'argumentNotAccepted',
          name: fieldName,
          typeName: 'Field',
          argumentName,
        },
        locations: locationsOf(error),
        message: `Field '${fieldName}' doesn't accept argument '${argumentName}'`,
      };
    }
    const missingArgument =
      /^Field "(\w+)" argument "(\w+)" of type "[^"]+" is required, but it was not provided\./.exec(
        error.message,
      );
    if (missingArgument !== null) {
      const [, fieldName, argumentName] = missingArgument;
      return {
        path: pathOf(error),
        extensions: {
          code: 'missingRequiredArguments',
          className: 'Field',
          name: fieldName,
          arguments: argumentName,
        },
        locations: locationsOf(error),
        message: `Field '${fieldName}' is missing required arguments: ${argumentName}`,
      };
    }

    return { locations: locationsOf(error), message: error.message };
  });
}

/**
 * Rewrites execution errors: resolver failures keep their GitHub type and
 * path; variable and operation errors carry message and locations only.
 */
export function toGitHubExecutionErrors(
  errors: readonly GraphQLError[],
): GitHubErrorEntry[] {
  return errors.map((error) => {
    const original = error.originalError;
    const type =
      original instanceof GitHubQueryError ? original.type : undefined;

    return {
      ...(type === undefined ? {} : { type }),
      ...(error.path === undefined ? {} : { path: error.path }),
      ...(error.locations === undefined
        ? {}
        : { locations: locationsOf(error) }),
      message: error.message,
    };
  });
}
