import type { Middleware, Observe } from './exchange.js';

/**
 * Documents are read, never written: GET and HEAD pass on, anything else is answered 405 before
 * a document is rendered for it (OPTIONS is corsPreflight's, ahead of this), and counted.
 */
export function readOnly(observe: Observe): Middleware {
  return (exchange, next) => {
    const { method } = exchange.req;
    if (method === 'GET' || method === 'HEAD') {
      next(exchange);
      return;
    }
    exchange.res.writeHead(405, { Allow: 'GET, HEAD, OPTIONS', 'Content-Type': 'text/plain; charset=utf-8' });
    exchange.res.end(`method ${method ?? ''} not allowed; use GET or HEAD\n`);
    observe(exchange.target.route, 405);
  };
}
