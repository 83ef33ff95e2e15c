import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';

export interface TestResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json<T = any>(): T;
}

export interface TestServer {
  /** Origin such as http://127.0.0.1:40123, without a path. */
  origin: string;
  close(): Promise<void>;
}

/** Serves `app` on 127.0.0.1 at a free port. */
export async function startTestServer(
  app: RequestListener,
): Promise<TestServer> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface TestRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Sends basic auth with these credentials. */
  auth?: { username: string; password: string };
}

/** Sends one request with node:http, so every header is under control. */
export function request(
  url: string,
  options: TestRequest = {},
): Promise<TestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth !== undefined) {
    const token = Buffer.from(
      `${options.auth.username}:${options.auth.password}`,
    ).toString('base64');
    headers.authorization = `Basic ${token}`;
  }
  if (options.body !== undefined) {
    headers['content-length'] = String(Buffer.byteLength(options.body));
  }

  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      url,
      // A new connection per request, so no test reuses a socket that a
      // closed server left behind.
      { method: options.method ?? 'GET', headers, agent: false },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            text,
            json: () => JSON.parse(text),
          });
        });
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/** Sends a JSON body with Content-Type: application/json. */
export function postJson(
  url: string,
  body: unknown,
  options: TestRequest = {},
): Promise<TestResponse> {
  return request(url, {
    ...options,
    method: options.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify(body),
  });
}
