/** A document exchange without a socket, for the document handlers' own tests (src/serve/document/). */
import { IncomingMessage, type ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { RenderedDocument } from '../../src/render/document.js';
import type { PublishedPath } from '../../src/render/publisher.js';
import { DocumentExchange } from '../../src/serve/document/exchange.js';

/** What a handler wrote: status, headers and body, and whether it cut the connection. */
export class RecordedResponse {
  status: number | undefined;
  headers: Record<string, string> | undefined;
  body: Buffer | string | undefined;
  ended = false;
  destroyed = false;
  headersSent = false;

  writeHead(status: number, headers: Record<string, string>): this {
    this.status = status;
    this.headers = headers;
    this.headersSent = true;
    return this;
  }

  end(body?: Buffer | string): this {
    this.body = body;
    this.ended = true;
    return this;
  }

  destroy(): this {
    this.destroyed = true;
    return this;
  }
}

export const FEED: PublishedPath = { path: '/feed.xml', ref: { kind: 'feed', key: 'all', format: 'rss' }, route: 'feed' };

export interface RequestLike {
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  target?: PublishedPath;
  query?: string;
}

/** An exchange for `request`, answered into a RecordedResponse. */
export function exchange(request: RequestLike = {}): { exchange: DocumentExchange; res: RecordedResponse } {
  const req = new IncomingMessage(new Socket());
  req.method = request.method ?? 'GET';
  req.url = request.url ?? request.target?.path ?? FEED.path;
  req.headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const res = new RecordedResponse();
  return { exchange: new DocumentExchange(req, res as unknown as ServerResponse, request.target ?? FEED, request.query ?? ''), res };
}

/** A document of `bytes` bytes of text that compresses well; 0 = no Last-Modified. */
export function documentOf(bytes: number, lastModified = Date.UTC(2024, 0, 2, 3, 4, 5, 678)): RenderedDocument {
  return new RenderedDocument(Buffer.from('news item, '.repeat(Math.ceil(bytes / 11)).slice(0, bytes)), 'application/rss+xml; charset=utf-8', lastModified);
}

/** A `next` that records the exchanges it was handed. */
export function recordingNext(): { (e: DocumentExchange): void; calls: DocumentExchange[] } {
  const calls: DocumentExchange[] = [];
  return Object.assign((e: DocumentExchange) => void calls.push(e), { calls });
}
