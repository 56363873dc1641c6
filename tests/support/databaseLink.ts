import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy in front of the database: the replicas connect through it, and the test cuts it
 * (every connection dropped, new ones refused) and restores it, as if the database stopped and
 * started, without stopping a server other tests share.
 */
export interface DatabaseLink {
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function databaseLink(host: string, port: number): Promise<DatabaseLink> {
  const sockets = new Set<Socket>();
  let server: Server;
  const listen = (at: number): Promise<number> => new Promise((resolve, reject) => {
    server = createServer((client) => {
      const upstream = connect(port, host);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    server.once('error', reject);
    server.listen(at, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  const stop = (): Promise<void> => new Promise((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
  const bound = await listen(0);
  return {
    port: bound,
    cut: stop,
    restore: async () => {
      await listen(bound);
    },
    close: stop,
  };
}
