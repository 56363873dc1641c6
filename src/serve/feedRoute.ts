import type { Request, RequestHandler, Response } from 'express';
import { FORMATS, MERGED_KEY, type FeedFormat, type FeedPublisher, type RenderedFeed } from '../render/publisher.js';
import { requestOrigin } from './origin.js';

const FORMAT_BY_FILE = new Map(Object.entries(FORMATS).map(([format, f]) => [f.file, format as FeedFormat]));

export interface FeedRouteOptions {
  baseUrl: string | undefined;
  /** Seconds a client may reuse a feed: the refresh interval. */
  maxAgeSeconds: number;
}

function httpDate(ms: number): string {
  return new Date(ms - (ms % 1000)).toUTCString();
}

/** RFC 9110 §13.1.2 weak comparison for If-None-Match, `*` included. */
function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** RFC 9110 §13.2.2: If-None-Match wins; If-Modified-Since only where it is absent. */
function notModified(req: Request, feed: RenderedFeed): boolean {
  const inm = req.get('if-none-match');
  if (inm !== undefined) return etagMatches(inm, feed.etag);
  const ims = req.get('if-modified-since');
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  return !Number.isNaN(since) && Math.floor(feed.lastModified / 1000) * 1000 <= since;
}

function send(req: Request, res: Response, feed: RenderedFeed, options: FeedRouteOptions): void {
  res.set({
    'Content-Type': feed.contentType,
    ETag: feed.etag,
    'Last-Modified': httpDate(feed.lastModified),
    'Cache-Control': `public, max-age=${options.maxAgeSeconds}`,
    'Access-Control-Allow-Origin': '*',
  });
  if (notModified(req, feed)) {
    res.status(304).end();
    return;
  }
  res.set('Content-Length', String(feed.body.length));
  if (req.method === 'HEAD') res.end();
  else res.end(feed.body);
}

/** Serves `/feed.xml`, `/atom.xml`, `/feed.json` and the same under `/<source>/`. */
export function feedRoute(publisher: FeedPublisher, options: FeedRouteOptions): RequestHandler {
  return (req, res, next) => {
    const parts = req.path.split('/').filter(Boolean);
    const file = parts.at(-1) ?? '';
    const key = parts.length === 1 ? MERGED_KEY : parts.length === 2 ? parts[0]! : undefined;
    const format = FORMAT_BY_FILE.get(file);
    if (key === undefined || format === undefined || !publisher.hasKey(key)) {
      next();
      return;
    }
    const feed = publisher.render({ key, format, origin: requestOrigin(req, options.baseUrl) });
    send(req, res, feed, options);
  };
}
