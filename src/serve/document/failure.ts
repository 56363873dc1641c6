import type { Log } from '../../log.js';
import { errorResponse } from '../errors.js';
import type { DocumentExchange, Observe } from './exchange.js';

export type Fail = (exchange: DocumentExchange, err: unknown) => void;

/**
 * Answers an exchange with the status and plain-text message of an error (errors.ts); ours are
 * logged. Once headers are out, the connection is cut: the client must not take half a document.
 */
export function failure(log: Log, observe: Observe): Fail {
  return ({ req, res }, err) => {
    const { status, message } = errorResponse(err);
    if (status >= 500) log.error({ err, url: req.url }, 'request failed');
    observe('document', status);
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
}
