import net from 'node:net';
import type { AppConfig } from '@issue-sync/config';
import {
  createQueues,
  createRedisConnection,
  type QueueSet,
} from '@issue-sync/queue';

/** Returns a loopback port that nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));

  return port;
}

/** Creates queues on a producer connection to a closed port. */
export function createUnreachableQueues(
  config: AppConfig,
  port: number,
): QueueSet {
  const connection = createRedisConnection(
    `redis://127.0.0.1:${port}`,
    'producer',
  );
  connection.on('error', () => undefined);

  return createQueues({
    connection,
    prefix: config.queuePrefix,
    onError: () => undefined,
  });
}
