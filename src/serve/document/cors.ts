import type { Middleware, Observe } from './exchange.js';

/** On every answer: any site may read our documents from a browser, their ETag included. */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag',
};

const PREFLIGHT: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD',
  'Access-Control-Allow-Headers': 'If-None-Match, If-Modified-Since',
  'Access-Control-Max-Age': '86400',
};

/** Answers a CORS preflight (OPTIONS) for a document, counted like any answer; passes on anything else. */
export function corsPreflight(observe: Observe): Middleware {
  return (exchange, next) => {
    if (exchange.req.method !== 'OPTIONS') {
      next(exchange);
      return;
    }
    exchange.res.writeHead(204, PREFLIGHT);
    exchange.res.end();
    observe(exchange.target.route, 204);
  };
}
