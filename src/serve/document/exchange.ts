import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ContentEncoding, RenderedDocument } from '../../render/document.js';
import type { PublishedPath } from '../../render/publisher.js';

/**
 * One request for one of our documents, as it goes through the handlers: each reads what the
 * ones before it found and adds its own part. Made once per request, after the path was found
 * to name a document; every field exists from the start, so the object keeps one shape.
 */
export class DocumentExchange {
  /** Scheme://host[:port] self links are built on (selfOrigin). */
  origin = '';
  /** The document to answer with (renderDocument). */
  doc: RenderedDocument | undefined = undefined;
  /** The coding the answer is in, undefined for identity (negotiateEncoding, then compress). */
  encoding: ContentEncoding | undefined = undefined;
  /** The body in that coding, once it exists; undefined while it is still to be compressed. */
  body: Buffer | undefined = undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    /** What the path names, looked up once. */
    readonly target: PublishedPath,
    /** The query string, without `?`. */
    readonly query: string,
  ) {}
}

/** A handler that answers, or passes the exchange on with `next` (at once or once it has waited). */
export type Middleware = (exchange: DocumentExchange, next: Handler) => void;
export type Handler = (exchange: DocumentExchange) => void;

/**
 * The middleware in order, ending in `last`: composed once, so a request costs no closures.
 * Each handler gets the one after it as `next`, in the manner of Hono's and Koa's middleware.
 */
export function compose(middleware: readonly Middleware[], last: Handler): Handler {
  return middleware.reduceRight<Handler>((next, handler) => (exchange) => handler(exchange, next), last);
}

/** Counts an answer by route and status, for /metrics. */
export type Observe = (route: string, status: number) => void;
