import { cachedNegotiateEncoding } from '../encoding.js';
import type { Middleware } from './exchange.js';

/**
 * Chooses the coding of the answer from Accept-Encoding (encoding.ts) and takes the body in it
 * if it exists. A compressed copy not made yet is guessed to be used, so that a 304 names the
 * variant the client would get; compress makes it. Where compressing does not pay (a small
 * body, or one that does not shrink), the answer is identity.
 */
export const negotiateEncoding: Middleware = (exchange, next) => {
  const doc = exchange.doc!;
  const wanted = cachedNegotiateEncoding(exchange.req.headers['accept-encoding']);
  const ready = wanted ? doc.encodedNow(wanted) : null;
  if (ready === null) {
    exchange.encoding = undefined;
    exchange.body = doc.body;
  } else {
    exchange.encoding = wanted;
    exchange.body = ready;
  }
  next(exchange);
};
