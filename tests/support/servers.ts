import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLog, type Log } from '../../src/log.js';
import type { FeedPublisher } from '../../src/render/publisher.js';
import type { AppDeps } from '../../src/serve/app.js';
import { createHttpServer } from '../../src/serve/server.js';
import type { Service } from '../../src/service.js';

/** Servers on 127.0.0.1 at an ephemeral port: feedrelay's own stack, or any node:http server. */

export interface RunningServer {
  port: number;
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** Ends every connection, then stops listening. */
  close(): Promise<void>;
}

/** Listens on 127.0.0.1, port 0, and says where. */
export async function listenLocal(server: Server): Promise<RunningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The real server stack as `serve` wires it (src/serve/server.ts): documents on bare node:http, then Express. */
export function serveApp(deps: AppDeps): Promise<RunningServer> {
  return listenLocal(createHttpServer(deps));
}

/** The server stack over a publisher alone, no service behind it. */
export function startServer(
  publisher: FeedPublisher,
  options: { baseUrl?: string; trustProxy?: boolean; maxAgeSeconds?: number } = {},
): Promise<RunningServer> {
  return serveApp({
    publisher,
    log: silentLog,
    trustProxy: options.trustProxy ?? false,
    route: { baseUrl: options.baseUrl, maxAgeSeconds: options.maxAgeSeconds ?? 900 },
  });
}

/** The service behind the server stack, with /healthz, /status and, given a token, /admin. */
export function serveService(service: Service, log: Log, adminToken?: string): Promise<RunningServer> {
  return serveApp({
    publisher: service.publisher,
    log,
    trustProxy: false,
    route: { baseUrl: undefined, maxAgeSeconds: 900 },
    status: () => service.status(),
    admin: adminToken
      ? { token: adminToken, refresh: () => service.refresh({ ignoreBackoff: true }), refreshing: () => service.refreshing(), log }
      : undefined,
  });
}

/** The server stack over a service, without /status or /admin. */
export function listen(service: Service, log: Log, options: { baseUrl?: string } = {}): Promise<RunningServer> {
  return serveApp({
    publisher: service.publisher,
    log,
    trustProxy: false,
    route: { baseUrl: options.baseUrl, maxAgeSeconds: 900 },
  });
}
