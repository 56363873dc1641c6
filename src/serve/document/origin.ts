import { requestOrigin, type OriginOptions } from '../origin.js';
import type { Middleware } from './exchange.js';
import type { Fail } from './failure.js';

/** Finds the origin the document's self links are built on (origin.ts). */
export function selfOrigin(options: OriginOptions, fail: Fail): Middleware {
  return (exchange, next) => {
    try {
      exchange.origin = requestOrigin(exchange.req, options);
    } catch (err) {
      fail(exchange, err);
      return;
    }
    next(exchange);
  };
}
