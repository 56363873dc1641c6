import fresh from 'fresh';
import type { Middleware, Observe } from './exchange.js';
import type { HeadersFor } from './headers.js';

/**
 * Answers 304 when the client's copy is current (RFC 9110 §13.2.2, by `fresh`: If-None-Match,
 * compared weakly, decides when present; If-Modified-Since only without it). The tag compared
 * is that of the variant we would send now: a client holding the gzip copy that now accepts
 * Brotli gets the Brotli one, since a 304 would leave its cache mislabelled. Only the two
 * preconditions are handed over: `fresh` would answer 200 to a `Cache-Control: no-cache`
 * request, but a server must evaluate the preconditions it receives (RFC 9110 §13.2.1).
 */
export function notModified(headersFor: HeadersFor, observe: Observe): Middleware {
  return (exchange, next) => {
    const { headers } = exchange.req;
    const inm = headers['if-none-match'];
    const ims = headers['if-modified-since'];
    if (inm === undefined && ims === undefined) {
      next(exchange);
      return;
    }
    const variant = headersFor(exchange.doc!, exchange.encoding);
    if (!fresh({ 'if-none-match': inm, 'if-modified-since': ims }, variant.validators)) {
      next(exchange);
      return;
    }
    exchange.res.writeHead(304, variant.notModified);
    exchange.res.end();
    observe(exchange.target.route, 304);
  };
}
