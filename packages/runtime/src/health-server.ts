import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export type ReadinessCheck = () => Promise<void>;

export interface HealthServerOptions {
  port: number;
  host: string;
  /** Named checks /readyz runs; each rejects when its component is down. */
  checks: Record<string, ReadinessCheck>;
  /** Served at /metrics when given. */
  metrics?: Registry;
  /** Per-check time limit. */
  checkTimeoutMs?: number;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Starts a small HTTP server: /healthz answers 200 while the process runs,
 * /readyz 200 only when every check passes (503 with the failures
 * otherwise), and /metrics the Prometheus text of `metrics`.
 */
export async function startHealthServer(
  options: HealthServerOptions,
): Promise<HealthServer> {
  const server = http.createServer((request, response) => {
    void route(options, request.url ?? '/', response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function route(
  options: HealthServerOptions,
  url: string,
  response: http.ServerResponse,
): Promise<void> {
  const path = url.split('?')[0];
  if (path === '/healthz') {
    sendJson(response, 200, { status: 'ok' });
    return;
  }
  if (path === '/readyz') {
    const report = await runChecks(
      options.checks,
      options.checkTimeoutMs ?? 3_000,
    );
    const ready = Object.values(report).every((value) => value === 'ok');
    sendJson(response, ready ? 200 : 503, {
      status: ready ? 'ok' : 'unavailable',
      checks: report,
    });
    return;
  }
  if (path === '/metrics' && options.metrics !== undefined) {
    response.writeHead(200, { 'content-type': options.metrics.contentType });
    response.end(await options.metrics.metrics());
    return;
  }
  sendJson(response, 404, { error: `no route for ${path}` });
}

/** Runs every check with a time limit and reports `ok` or why it failed. */
export async function runChecks(
  checks: Record<string, ReadinessCheck>,
  timeoutMs: number,
): Promise<Record<string, string>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        await Promise.race([check(), timeout]);
        return [name, 'ok'] as const;
      } catch (error) {
        return [
          name,
          error instanceof Error ? error.message : String(error),
        ] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );

  return Object.fromEntries(entries);
}

function sendJson(
  response: http.ServerResponse,
  status: number,
  body: unknown,
): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
