import type { Log } from '../../log.js';
import type { Middleware } from './exchange.js';

/**
 * Makes the compressed body negotiateEncoding chose when it does not exist yet (once per
 * document and coding: RenderedDocument keeps it). Where compressing did not shrink the body,
 * or failed, the answer is identity.
 */
export function compress(log: Log): Middleware {
  return (exchange, next) => {
    if (exchange.body !== undefined) {
      next(exchange);
      return;
    }
    const doc = exchange.doc!;
    const encoding = exchange.encoding!;
    const identity = (): void => {
      exchange.encoding = undefined;
      exchange.body = doc.body;
    };
    doc.encode(encoding).then(
      (body) => {
        if (body) exchange.body = body;
        else identity();
        next(exchange);
      },
      (err: unknown) => {
        log.warn({ err, url: exchange.req.url, encoding }, 'compression failed; sending identity');
        identity();
        next(exchange);
      },
    );
  };
}
