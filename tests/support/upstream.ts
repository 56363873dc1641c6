import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocal } from './servers.js';

/** Upstreams as the live refresh meets them (issue #3): an outlet's server on 127.0.0.1, each path answered by a handler. */

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface SeenRequest {
  path: string;
  headers: IncomingHttpHeaders;
}

export interface FixtureServer {
  origin: string;
  url(path: string): string;
  /** Every request so far, in arrival order. */
  requests: SeenRequest[];
  /** Replaces or adds a route while running. */
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1, port 0, answering each path with its handler (else 404). */
export async function startFixtureServer(routes: Record<string, Handler> = {}): Promise<FixtureServer> {
  const table = new Map(Object.entries(routes));
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push({ path, headers: req.headers });
    const handler = table.get(path);
    if (handler) handler(req, res);
    else res.writeHead(404).end('not found');
  });
  const running = await listenLocal(server);
  const origin = running.url;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    requests,
    route: (path, handler) => void table.set(path, handler),
    close: running.close,
  };
}

/** Serves bytes with the given headers; `rss+xml; utf-8` unless told otherwise. */
export function serveBytes(body: Buffer | string, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8', ...headers }).end(body);
  };
}

export function serveStatus(status: number, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'Content-Type': 'text/plain', ...headers }).end(`status ${status}`);
  };
}

/** Sends headers and a little of the body, then nothing: a server that hangs mid-answer. */
export function serveHang(): Handler {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
    res.write('<?xml version="1.0"?><rss version="2.0"><channel>');
  };
}

/** Streams `bytes` of a never-ending feed without a Content-Length, stopping when the client goes. */
export function serveHuge(bytes: number): Handler {
  return (req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
    const chunk = Buffer.alloc(64 * 1024, ' ');
    let sent = 0;
    const pump = (): void => {
      while (sent < bytes && !res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    req.socket.on('close', () => res.destroy());
    pump();
  };
}

export function serveRedirect(location: string, status = 302): Handler {
  return (_req, res) => {
    res.writeHead(status, { Location: location }).end();
  };
}
