import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server received it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Server reply: a response, no response at all, or a dropped socket. */
export type Reply =
  | { status?: number; headers?: Record<string, string>; body?: string }
  | 'hang'
  | 'reset';

export type Route =
  Reply | ((request: ReceivedRequest) => Reply | Promise<Reply>);

/** A local HTTP server that replies with fixture bodies per route. */
export interface FixtureServer {
  /** Such as http://127.0.0.1:40123 */
  url: string;
  /** Every request received, in order. */
  requests: ReceivedRequest[];
  /** Sets the reply of `METHOD /path` (the path without its query). */
  route(method: string, path: string, reply: Route): void;
  close(): Promise<void>;
}

/** Starts a fixture server on 127.0.0.1 and a free port. */
export async function startFixtureServer(): Promise<FixtureServer> {
  const routes = new Map<string, Route>();
  const requests: ReceivedRequest[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const received: ReceivedRequest = {
        method: request.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(received);

      const route = routes.get(`${received.method} ${received.path}`);
      const reply: Reply = await (route === undefined
        ? {
            status: 500,
            body: `no fixture route for ${received.method} ${received.path}`,
          }
        : typeof route === 'function'
          ? route(received)
          : route);

      if (reply === 'hang') {
        return;
      }
      if (reply === 'reset') {
        request.socket.destroy();
        return;
      }
      response.writeHead(reply.status ?? 200, {
        'content-type': 'application/json;charset=UTF-8',
        ...reply.headers,
      });
      response.end(reply.body ?? '');
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    route(method, path, reply) {
      routes.set(`${method} ${path}`, reply);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
