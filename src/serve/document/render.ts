import { RequestNotFoundError } from '../../errors.js';
import { RenderedDocument } from '../../render/document.js';
import type { FeedPublisher } from '../../render/publisher.js';
import type { Middleware } from './exchange.js';
import type { Fail } from './failure.js';

/**
 * Finds the document: one rendered since the last change goes on in the same turn of the loop
 * (the hot path), anything else once rendered. A document that turns out not to exist (an
 * article id nobody has) is a 404.
 */
export function renderDocument(publisher: FeedPublisher, fail: Fail): Middleware {
  return (exchange, next) => {
    const found = publisher.documentAt(exchange.target, exchange.origin, exchange.query);
    if (found instanceof RenderedDocument) {
      exchange.doc = found;
      next(exchange);
      return;
    }
    found.then(
      (doc) => {
        if (!doc) {
          fail(exchange, new RequestNotFoundError(`not found: ${exchange.target.path}`));
          return;
        }
        exchange.doc = doc;
        next(exchange);
      },
      (err: unknown) => fail(exchange, err),
    );
  };
}
