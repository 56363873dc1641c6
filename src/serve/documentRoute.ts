import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Log } from '../log.js';
import type { ContentEncoding, RenderedDocument } from '../render/document.js';
import type { FeedPublisher } from '../render/publisher.js';
import { cachedNegotiateEncoding } from './encoding.js';
import { RequestNotFoundError } from '../errors.js';
import { errorResponse } from './errors.js';
import { requestOrigin, type OriginOptions } from './origin.js';

export interface DocumentRouteOptions extends OriginOptions {
  /** Seconds a client may reuse a document without asking: the refresh interval. */
  maxAgeSeconds: number;
  log: Log;
  /** Counts each answer by route (`feed`, `archive`, `index`, `opml`) and status, for /metrics. */
  observe?: (route: string, status: number) => void;
}

/** Answers a request for one of our documents and returns true, or returns false to pass it on. */
export type DocumentHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

type Headers = Record<string, string>;

const CORS_PREFLIGHT: Headers = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD',
  'Access-Control-Allow-Headers': 'If-None-Match, If-Modified-Since',
  'Access-Control-Max-Age': '86400',
};

function httpDate(ms: number): string {
  return new Date(ms - (ms % 1000)).toUTCString();
}

/** RFC 9110 §13.1.2: If-None-Match uses weak comparison, and `*` matches any current representation. */
function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  return header.split(',').some((raw) => raw.trim().replace(/^W\//, '') === etag);
}

/**
 * RFC 9110 §13.2.2: If-None-Match decides when present; If-Modified-Since only without it. The
 * tag must be the one of the representation we would send now: a client holding the gzip copy
 * that now accepts Brotli gets the Brotli one, since a 304 would leave its cache mislabelled.
 */
function notModified(req: IncomingMessage, doc: RenderedDocument, etag: string): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) return etagMatches(inm, etag);
  const ims = req.headers['if-modified-since'];
  if (ims === undefined || doc.lastModified === 0) return false;
  const since = Date.parse(ims);
  return !Number.isNaN(since) && Math.floor(doc.lastModified / 1000) * 1000 <= since;
}

interface VariantHeaders {
  ok: Headers;
  /** `ok` with Content-Length, made on the first 200 of this variant. */
  sized?: { bytes: number; headers: Headers };
  /** RFC 9110 §15.4.5: a 304 carries the validators and caching headers, no representation metadata. */
  notModified: Headers;
}

/**
 * Headers per document and coding, made once: the 304 and cached-200 paths then only look them up.
 * Every response varies by Accept-Encoding, identity ones included, so caches keep them apart.
 */
function headerCache(maxAgeSeconds: number): (doc: RenderedDocument, encoding: ContentEncoding | undefined) => VariantHeaders {
  const byDoc = new WeakMap<RenderedDocument, Map<string, VariantHeaders>>();
  return (doc, encoding) => {
    let variants = byDoc.get(doc);
    if (!variants) {
      variants = new Map();
      byDoc.set(doc, variants);
    }
    const key = encoding ?? 'identity';
    let headers = variants.get(key);
    if (!headers) {
      const notModified: Headers = {
        ETag: doc.etagFor(encoding),
        'Cache-Control': `public, max-age=${maxAgeSeconds}`,
        Vary: 'Accept-Encoding',
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Expose-Headers': 'ETag',
      };
      if (doc.lastModified > 0) notModified['Last-Modified'] = httpDate(doc.lastModified);
      const ok: Headers = { 'Content-Type': doc.contentType, ...notModified, 'X-Content-Type-Options': 'nosniff', ...doc.headers };
      if (encoding) ok['Content-Encoding'] = encoding;
      headers = { ok, notModified };
      variants.set(key, headers);
    }
    return headers;
  };
}

function sendBody(req: IncomingMessage, res: ServerResponse, variant: VariantHeaders, body: Buffer): void {
  let sized = variant.sized;
  if (sized?.bytes !== body.length) {
    sized = { bytes: body.length, headers: { ...variant.ok, 'Content-Length': String(body.length) } };
    variant.sized = sized;
  }
  res.writeHead(200, sized.headers);
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}

/**
 * Serves the publisher's documents on bare node:http: feeds, archive pages, the index page and
 * OPML. It needs nothing of Express, so the server can answer these before Express routes
 * anything (a 304 through Express costs several times more); the Express app mounts it too.
 */
export function documentHandler(publisher: FeedPublisher, options: DocumentRouteOptions): DocumentHandler {
  const headersFor = headerCache(options.maxAgeSeconds);
  // A base URL with a path (`https://example.org/news`): a proxy that passes the prefix on is
  // served the same documents as one that strips it.
  const prefix = options.baseUrl ? new URL(options.baseUrl).pathname.replace(/\/+$/, '') : '';
  const withoutPrefix = (path: string): string =>
    prefix !== '' && (path === prefix || path.startsWith(`${prefix}/`)) ? path.slice(prefix.length) || '/' : path;

  const fail = (req: IncomingMessage, res: ServerResponse, err: unknown): void => {
    const { status, message } = errorResponse(err);
    if (status >= 500) options.log.error({ err, url: req.url }, 'request failed');
    options.observe?.('document', status);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(status, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(message)),
      'Access-Control-Allow-Origin': '*',
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : message);
  };

  const answer = (req: IncomingMessage, res: ServerResponse, doc: RenderedDocument, route: string): void => {
    const wanted = cachedNegotiateEncoding(req.headers['accept-encoding']);
    const ready = wanted ? doc.encodedNow(wanted) : null;
    // Until the compressed copy exists, guess it will be used: a 304 then names the right variant.
    const encoding = ready === null ? undefined : wanted;
    const headers = headersFor(doc, encoding);
    if (notModified(req, doc, headers.ok.ETag!)) {
      res.writeHead(304, headers.notModified);
      res.end();
      options.observe?.(route, 304);
      return;
    }
    options.observe?.(route, 200);
    if (!encoding) {
      sendBody(req, res, headers, doc.body);
    } else if (ready) {
      sendBody(req, res, headers, ready);
    } else {
      const current = doc;
      current.encode(encoding).then(
        (body) => sendBody(req, res, body ? headers : headersFor(current, undefined), body ?? current.body),
        (err: unknown) => {
          options.log.warn({ err, url: req.url, encoding }, 'compression failed; sending identity');
          sendBody(req, res, headersFor(current, undefined), current.body);
        },
      );
    }
  };

  return (req, res) => {
    const url = req.url ?? '/';
    const mark = url.indexOf('?');
    const path = withoutPrefix(mark === -1 ? url : url.slice(0, mark));
    const route = publisher.routeOf(path);
    if (route === undefined) return false;
    // The method first: nothing is rendered for a request that cannot have it.
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS_PREFLIGHT);
      res.end();
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD, OPTIONS', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`method ${req.method ?? ''} not allowed; use GET or HEAD\n`);
      return true;
    }
    const query = mark === -1 ? '' : url.slice(mark + 1);
    let origin: string;
    try {
      origin = requestOrigin(req, options);
    } catch (err) {
      fail(req, res, err);
      return true;
    }
    // The hot path: a document rendered since the last change is answered without a turn of the loop.
    const hit = publisher.cached(origin, path, query);
    if (hit) {
      answer(req, res, hit, route);
      return true;
    }
    publisher.document(origin, path, query).then(
      (doc) => {
        if (doc) answer(req, res, doc, route);
        else fail(req, res, new RequestNotFoundError(`not found: ${path}`));
      },
      (err: unknown) => fail(req, res, err),
    );
    return true;
  };
}
