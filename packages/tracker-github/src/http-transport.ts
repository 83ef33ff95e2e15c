import { Agent, fetch, Response } from 'undici';
import type { TrackerError } from '@issue-sync/tracker-core';
import { isTrackerError } from '@issue-sync/tracker-core';

import type { GithubErrorFactory } from './github-errors';
import type { GithubSettings } from './github-settings';
import { readStringField } from './json-value';

/** The response to one HTTP request, filled in as it arrives. */
export interface HttpExchange {
  status?: number;
  headers?: Headers;
  /** The body decoded as UTF-8, once it was read in full. */
  text?: string;
}

export interface SendInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal | null;
}

// Statuses whose responses cannot carry a body in the fetch API.
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * Sends the adapter's HTTP requests: one keep-alive connection pool, a
 * deadline covering connect, headers and body, a cap on the body size,
 * redirects never followed, and requests only to the apiUrl origin.
 */
export class HttpTransport {
  private readonly agent: Agent;

  constructor(
    private readonly settings: GithubSettings,
    private readonly errors: GithubErrorFactory,
  ) {
    this.agent = new Agent({
      connect: { timeout: settings.timeoutMs },
      keepAliveTimeout: 10_000,
    });
  }

  /**
   * Sends one request and reads the whole body into `exchange`. Throws a
   * TrackerError of kind network when no complete response arrived, and of
   * kind invalid_response when the body is larger than maxResponseBytes.
   */
  async send(
    url: string,
    init: SendInit,
    exchange: HttpExchange,
  ): Promise<Uint8Array> {
    if (new URL(url).origin !== this.settings.origin) {
      throw this.errors.create(
        'invalid_response',
        `Refused to send a request to ${new URL(url).origin}: only ${this.settings.origin} (GITHUB_API_URL) receives the GitHub token`,
      );
    }

    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    const signal = init.signal
      ? AbortSignal.any([init.signal, timeout])
      : timeout;
    try {
      const response = await fetch(url, {
        method: init.method,
        headers: init.headers,
        body: init.body,
        signal,
        redirect: 'manual',
        dispatcher: this.agent,
      });
      exchange.status = response.status;
      exchange.headers = response.headers as unknown as Headers;

      const bytes = await this.readBody(response);
      exchange.text = new TextDecoder().decode(bytes);

      return bytes;
    } catch (error) {
      throw this.toNetworkError(error, exchange.status);
    }
  }

  /**
   * Returns a fetch function for `@octokit/graphql` that records the
   * exchange and lets `inspect` reject a body before octokit parses it.
   */
  createFetch(
    exchange: HttpExchange,
    inspect: (exchange: HttpExchange) => void,
  ): (url: string, init: SendInit) => Promise<Response> {
    return async (url, init) => {
      const bytes = await this.send(url, init, exchange);
      inspect(exchange);
      const status = exchange.status ?? 0;

      return new Response(NULL_BODY_STATUSES.has(status) ? null : bytes, {
        status,
        headers: exchange.headers as unknown as Record<string, string>,
      });
    };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async readBody(response: Response): Promise<Uint8Array> {
    const max = this.settings.maxResponseBytes;
    const declared = Number(response.headers.get('content-length'));
    if (declared > max) {
      await response.body?.cancel();
      throw this.tooLarge(response.status);
    }
    if (response.body === null) {
      return new Uint8Array(0);
    }

    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      total += value.byteLength;
      if (total > max) {
        await reader.cancel();
        throw this.tooLarge(response.status);
      }
      chunks.push(value);
    }

    return Buffer.concat(chunks, total);
  }

  private tooLarge(httpStatus: number): TrackerError {
    return this.errors.create(
      'invalid_response',
      `GitHub at ${this.settings.apiUrl} sent a response larger than ${this.settings.maxResponseBytes} bytes: raise TRACKER_MAX_RESPONSE_BYTES or lower TRACKER_BATCH_SIZE`,
      { httpStatus },
    );
  }

  // Only the error's name and code reach the message: fetch errors can
  // quote header values, and the Authorization header is one of them.
  private toNetworkError(error: unknown, httpStatus?: number): TrackerError {
    if (isTrackerError(error)) {
      return error;
    }

    const name = readStringField(error, 'name') ?? '';
    const where = `GitHub at ${this.settings.apiUrl}`;
    if (name === 'TimeoutError') {
      return this.errors.create(
        'network',
        `${where} timed out after ${this.settings.timeoutMs} ms: check the network, or raise TRACKER_TIMEOUT_MS`,
        { httpStatus },
      );
    }

    const code = findErrorCode(error);
    const reason =
      httpStatus === undefined
        ? `could not be reached (${code ?? (name || 'fetch failed')})`
        : `closed the connection before the response was complete (${code ?? 'terminated'})`;

    return this.errors.create(
      'network',
      `${where} ${reason}: check GITHUB_API_URL and the network`,
      { httpStatus },
    );
  }
}

// Errors are read by their fields, not with instanceof: socket errors are
// created by Node's internals, which may be another realm than undici's.
function findErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined; depth += 1) {
    const code = readStringField(current, 'code');
    if (code !== undefined && /^[A-Z_]+$/.test(code)) {
      return code;
    }
    current =
      typeof current === 'object' && current !== null
        ? (current as { cause?: unknown }).cause
        : undefined;
  }

  return undefined;
}
