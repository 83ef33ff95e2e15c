import type { IncomingMessage, ServerResponse } from 'node:http';

/** A response a tracker route built, before latency and faults apply. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The parsed body when it is JSON, so body faults can rewrite it. */
  json?: unknown;
  /** Writes half the body and closes the connection (the `truncated` fault). */
  truncate?: boolean;
}

export const JSON_UTF8 = 'application/json; charset=utf-8';

export function jsonReply(
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
  contentType = JSON_UTF8,
): Reply {
  return {
    status,
    headers: { 'content-type': contentType, ...headers },
    body: JSON.stringify(value),
    json: value,
  };
}

export function textReply(
  status: number,
  text: string,
  headers: Record<string, string> = {},
  contentType = 'text/plain; charset=utf-8',
): Reply {
  return {
    status,
    headers: { 'content-type': contentType, ...headers },
    body: text,
  };
}

/** Reading a request body failed because it exceeded the size limit. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/** Reads the whole request body as UTF-8, rejecting bodies above `maxBytes`. */
export async function readBody(
  req: IncomingMessage,
  maxBytes: number,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      throw new BodyTooLargeError(
        `request body is larger than ${maxBytes} bytes; send a smaller request`,
      );
    }
    chunks.push(chunk);
  }

  return Buffer.concat(chunks).toString('utf8');
}

/** Writes a reply; a `truncate` reply sends half its body and then resets. */
export function writeReply(res: ServerResponse, reply: Reply): void {
  if (res.destroyed) {
    return;
  }
  const body = Buffer.from(reply.body, 'utf8');
  res.writeHead(reply.status, {
    ...reply.headers,
    'content-length': String(body.length),
  });
  if (!reply.truncate) {
    res.end(body);

    return;
  }

  res.write(body.subarray(0, Math.floor(body.length / 2)), () => {
    res.socket?.destroy();
  });
}

/** Drops the connection with a TCP reset, so the client sees ECONNRESET. */
export function resetConnection(res: ServerResponse): void {
  const socket = res.socket;
  if (socket === null) {
    return;
  }
  if (typeof socket.resetAndDestroy === 'function') {
    socket.resetAndDestroy();
  } else {
    socket.destroy();
  }
}
