import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as it reached the proxy, body included; headers are not kept. */
export interface RecordedRequest {
  method: string;
  /** Path and query string, as sent. */
  url: string;
  body: string;
}

/**
 * An HTTP proxy on 127.0.0.1 that forwards every request to `target` and
 * keeps each one whole. The tracker simulator's own request log keeps only
 * the first 500 characters of a body, which cuts off the variables of a
 * GitHub GraphQL query. The Host header is forwarded unchanged, so links
 * the simulator builds from it lead back through the proxy.
 */
export class RecordingProxy {
  readonly requests: RecordedRequest[] = [];
  private readonly agent = new http.Agent({ keepAlive: true });
  private server?: http.Server;
  private targetPort = 0;
  url = '';

  async start(target: string): Promise<void> {
    const targetUrl = new URL(target);
    this.targetPort = Number(targetUrl.port);
    this.server = http.createServer((request, response) => {
      this.forward(request, response);
    });
    await new Promise<void>((resolve) =>
      this.server!.listen(0, '127.0.0.1', resolve),
    );
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    this.agent.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>(
      (resolve) => this.server?.close(() => resolve()) ?? resolve(),
    );
  }

  private forward(
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      this.requests.push({
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        body: body.toString('utf8'),
      });
      const upstream = http.request(
        {
          host: '127.0.0.1',
          port: this.targetPort,
          method: request.method,
          path: request.url,
          headers: request.headers,
          agent: this.agent,
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
          answer.on('error', () => response.destroy());
        },
      );
      // A reset from the simulator becomes a reset towards the client.
      upstream.on('error', () => response.destroy());
      upstream.end(body);
    });
  }
}
