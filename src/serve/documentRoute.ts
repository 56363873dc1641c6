import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Log } from '../log.js';
import type { FeedPublisher } from '../render/publisher.js';
import { notModified } from './document/conditional.js';
import { compress } from './document/compress.js';
import { corsPreflight } from './document/cors.js';
import { compose, DocumentExchange, type Observe } from './document/exchange.js';
import { failure } from './document/failure.js';
import { variantHeaders } from './document/headers.js';
import { readOnly } from './document/methods.js';
import { negotiateEncoding } from './document/negotiate.js';
import { selfOrigin } from './document/origin.js';
import { stripBasePath } from './document/prefix.js';
import { renderDocument } from './document/render.js';
import { sendDocument } from './document/send.js';
import type { OriginOptions } from './origin.js';

export interface DocumentRouteOptions extends OriginOptions {
  /** Seconds a client may reuse a document without asking: the refresh interval. */
  maxAgeSeconds: number;
  log: Log;
  /** Counts each answer by route (`feed`, `archive`, `index`, `opml`, `article`) and status, for /metrics. */
  observe?: Observe;
}

/** Answers a request for one of our documents and returns true, or returns false to pass it on. */
export type DocumentHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

const uncounted: Observe = () => {};

/**
 * Serves the publisher's documents on bare node:http: feeds, archive pages, article pages, the
 * index page and OPML. It needs nothing of Express, so the server answers these before Express
 * routes anything (a 304 through Express costs several times more). The path is looked up once;
 * what is ours then goes through one handler per concern, in order, each able to answer: the
 * method before anything is rendered, the coding before the 304 (which names the variant), the
 * 304 before anything is compressed.
 */
export function documentHandler(publisher: FeedPublisher, options: DocumentRouteOptions): DocumentHandler {
  const observe = options.observe ?? uncounted;
  const fail = failure(options.log, observe);
  const headersFor = variantHeaders(options.maxAgeSeconds);
  const answer = compose(
    [
      corsPreflight(observe),
      readOnly(observe),
      selfOrigin(options, fail),
      renderDocument(publisher, fail),
      negotiateEncoding,
      notModified(headersFor, observe),
      compress(options.log),
    ],
    sendDocument(headersFor, observe),
  );
  const documentPath = stripBasePath(options.baseUrl);
  return (req, res) => {
    const url = req.url ?? '/';
    const mark = url.indexOf('?');
    const target = publisher.lookup(documentPath(mark === -1 ? url : url.slice(0, mark)));
    if (target === undefined) return false;
    answer(new DocumentExchange(req, res, target, mark === -1 ? '' : url.slice(mark + 1)));
    return true;
  };
}
