import { REDACTED, TextRedactor } from './redact-text';

/** Objects nested deeper than this are replaced with a marker. */
const MAX_DEPTH = 8;
/** Errors deeper than this in a cause chain are replaced with a marker. */
const MAX_CAUSE_DEPTH = 5;
const MAX_ARRAY_ITEMS = 100;
const MAX_OBJECT_KEYS = 100;
const MAX_NESTED_ERRORS = 5;

/** Keys whose values are credentials whatever they contain. */
const SENSITIVE_KEYS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'password',
  'passwd',
]);

/** Extra error fields kept when present, all of them small and secret-free. */
const ERROR_FIELDS = [
  'kind',
  'tracker',
  'code',
  'httpStatus',
  'retryAfterMs',
  'errno',
  'syscall',
  'address',
  'port',
  'hostname',
] as const;

type Plain = null | boolean | number | string | Plain[] | PlainObject;
interface PlainObject {
  [key: string]: Plain;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isErrorLike(value: unknown): value is Error {
  return (
    value instanceof Error ||
    (isRecord(value) &&
      typeof value.message === 'string' &&
      typeof value.stack === 'string')
  );
}

/**
 * Tells whether an error comes from an HTTP client: axios sets
 * `isAxiosError` and keeps `config`, `request` and `response`, and Octokit's
 * RequestError and GraphqlResponseError keep `request` (with headers) and
 * `response`.
 */
function isHttpClientError(error: Error): boolean {
  const fields = error as unknown as Record<string, unknown>;

  return (
    fields.isAxiosError === true ||
    isRecord(fields.config) ||
    isRecord(fields.request) ||
    isRecord(fields.response)
  );
}

function joinUrl(baseUrl: unknown, url: unknown): string | undefined {
  if (typeof url !== 'string') {
    return typeof baseUrl === 'string' ? baseUrl : undefined;
  }
  if (typeof baseUrl !== 'string' || /^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    return url;
  }

  return `${baseUrl.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}

/** Redacts values of any shape into plain JSON-safe data. */
export class ValueRedactor {
  readonly text: TextRedactor;

  constructor(secrets: readonly string[]) {
    this.text = new TextRedactor(secrets);
  }

  /** Redacts `secrets` too from now on. */
  addSecrets(secrets: readonly string[]): void {
    this.text.addSecrets(secrets);
  }

  /**
   * Returns a redacted, JSON-safe copy of `value`: strings are redacted,
   * values under credential keys are replaced, errors are expanded, and
   * cycles, depth and sizes are capped.
   */
  redact(value: unknown): Plain {
    return this.walk(value, 0, new WeakSet(), 0);
  }

  /** Expands an error into name, message, kind, status, stack and cause. */
  redactError(error: Error): PlainObject {
    return this.expandError(error, 0, new WeakSet(), 0);
  }

  private walk(
    value: unknown,
    depth: number,
    seen: WeakSet<object>,
    causeDepth: number,
  ): Plain {
    if (value === null || value === undefined) {
      return null;
    }
    if (typeof value === 'string') {
      return this.text.redact(value);
    }
    if (typeof value === 'number') {
      return Number.isFinite(value) ? value : String(value);
    }
    if (typeof value === 'boolean') {
      return value;
    }
    if (typeof value === 'bigint' || typeof value === 'symbol') {
      return this.text.redact(value.toString());
    }
    if (typeof value === 'function') {
      return `[Function ${value.name || 'anonymous'}]`;
    }

    return this.walkObject(value, depth, seen, causeDepth);
  }

  private walkObject(
    value: object,
    depth: number,
    seen: WeakSet<object>,
    causeDepth: number,
  ): Plain {
    if (seen.has(value)) {
      return '[Circular]';
    }
    if (depth >= MAX_DEPTH) {
      return '[Object: too deep]';
    }
    if (value instanceof Date) {
      return Number.isNaN(value.getTime())
        ? 'Invalid Date'
        : value.toISOString();
    }
    if (ArrayBuffer.isView(value)) {
      return `[${value.constructor.name} ${value.byteLength} bytes]`;
    }

    seen.add(value);
    try {
      if (isErrorLike(value)) {
        return this.expandError(value, depth, seen, causeDepth);
      }
      if (Array.isArray(value) || value instanceof Set) {
        return this.walkArray([...value], depth, seen, causeDepth);
      }
      if (value instanceof Map) {
        return this.walkEntries([...value.entries()], depth, seen, causeDepth);
      }

      const record = value as Record<string, unknown>;
      if (typeof record.toJSON === 'function') {
        return this.walk(record.toJSON(), depth + 1, seen, causeDepth);
      }

      const prototype = Object.getPrototypeOf(value) as object | null;
      if (prototype !== null && prototype !== Object.prototype) {
        // Class instances such as sockets or requests carry internals that
        // do not belong in a log line; only plain data is expanded.
        return `[${value.constructor?.name ?? 'Object'}]`;
      }

      return this.walkEntries(Object.entries(value), depth, seen, causeDepth);
    } finally {
      seen.delete(value);
    }
  }

  private walkArray(
    items: unknown[],
    depth: number,
    seen: WeakSet<object>,
    causeDepth: number,
  ): Plain[] {
    const result = items
      .slice(0, MAX_ARRAY_ITEMS)
      .map((item) => this.walk(item, depth + 1, seen, causeDepth));
    if (items.length > MAX_ARRAY_ITEMS) {
      result.push(`…${items.length - MAX_ARRAY_ITEMS} more items`);
    }

    return result;
  }

  private walkEntries(
    entries: Array<[unknown, unknown]>,
    depth: number,
    seen: WeakSet<object>,
    causeDepth: number,
  ): PlainObject {
    const result: PlainObject = {};
    for (const [key, item] of entries.slice(0, MAX_OBJECT_KEYS)) {
      const name = this.text.redact(String(key));
      result[name] = SENSITIVE_KEYS.has(name.toLowerCase())
        ? REDACTED
        : this.walk(item, depth + 1, seen, causeDepth);
    }
    if (entries.length > MAX_OBJECT_KEYS) {
      result['…'] = `${entries.length - MAX_OBJECT_KEYS} more keys`;
    }

    return result;
  }

  private expandError(
    error: Error,
    depth: number,
    seen: WeakSet<object>,
    causeDepth: number,
  ): PlainObject {
    seen.add(error);
    const fields = error as unknown as Record<string, unknown>;
    const result: PlainObject = {
      name: this.text.redact(String(error.name ?? 'Error')),
      message: this.text.redact(String(error.message ?? '')),
    };
    for (const field of ERROR_FIELDS) {
      const item = fields[field];
      if (
        typeof item === 'string' ||
        typeof item === 'number' ||
        typeof item === 'boolean'
      ) {
        result[field] = this.walk(item, depth + 1, seen, causeDepth);
      }
    }

    const status = fields.status ?? fields.statusCode;
    if (result.httpStatus === undefined && typeof status === 'number') {
      result.httpStatus = status;
    }
    if (isHttpClientError(error)) {
      Object.assign(result, this.describeHttpRequest(fields));
    } else if (Array.isArray(fields.errors)) {
      // AggregateError, as Node raises when every address of a host fails.
      result.errors = fields.errors
        .slice(0, MAX_NESTED_ERRORS)
        .map((item) => this.walk(item, depth + 1, seen, causeDepth + 1));
    }
    // A TrackerError is a classified tracker answer, not a bug: its message
    // says all an operator needs, and a stack on every retry is noise.
    if (typeof error.stack === 'string' && error.name !== 'TrackerError') {
      result.stack = this.text.redact(error.stack);
    }
    if (error.cause !== undefined) {
      result.cause =
        causeDepth + 1 >= MAX_CAUSE_DEPTH
          ? '[cause chain truncated]'
          : this.walk(error.cause, depth + 1, seen, causeDepth + 1);
    }

    return result;
  }

  // Keeps only method, URL and status of an HTTP client error: its config,
  // request and response carry the Authorization header and basic-auth
  // password, so they never reach the output.
  private describeHttpRequest(fields: Record<string, unknown>): PlainObject {
    const config = isRecord(fields.config) ? fields.config : undefined;
    const request = isRecord(fields.request) ? fields.request : undefined;
    const response = isRecord(fields.response) ? fields.response : undefined;
    // GraphqlResponseError keeps the options given to @octokit/graphql,
    // which leave out its defaults: POST to `${baseUrl}/graphql`.
    const isGraphqlRequest = typeof request?.query === 'string';
    const method =
      config?.method ??
      request?.method ??
      (isGraphqlRequest ? 'POST' : undefined);
    const url = config
      ? joinUrl(config.baseURL, config.url)
      : isGraphqlRequest && request?.url === undefined
        ? joinUrl(request?.baseUrl, '/graphql')
        : typeof request?.url === 'string'
          ? request.url
          : undefined;
    const status = response?.status ?? fields.status;

    const result: PlainObject = {};
    if (typeof status === 'number') {
      result.httpStatus = status;
    }
    if (typeof method === 'string') {
      result.method = method.toUpperCase();
    }
    if (url !== undefined) {
      result.url = this.text.redact(url);
    }
    if (Array.isArray(fields.errors)) {
      // GraphQL errors name the failing path and type, such as NOT_FOUND.
      result.graphqlErrors = fields.errors
        .slice(0, MAX_NESTED_ERRORS)
        .map((item) => this.describeGraphqlError(item));
    }

    return result;
  }

  private describeGraphqlError(item: unknown): PlainObject {
    const fields = isRecord(item) ? item : {};
    const result: PlainObject = {};
    for (const key of ['type', 'message'] as const) {
      if (typeof fields[key] === 'string') {
        result[key] = this.text.redact(fields[key]);
      }
    }
    if (Array.isArray(fields.path)) {
      result.path = fields.path
        .slice(0, 10)
        .map((part) => this.text.redact(String(part)));
    }

    return result;
  }
}

export type { Plain, PlainObject };
