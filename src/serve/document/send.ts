import type { Handler, Observe } from './exchange.js';
import { sizedHeaders, type HeadersFor } from './headers.js';

/** Sends the document: 200, its variant's headers, and the body unless the request is HEAD. */
export function sendDocument(headersFor: HeadersFor, observe: Observe): Handler {
  return (exchange) => {
    const { req, res } = exchange;
    const body = exchange.body!;
    observe(exchange.target.route, 200);
    res.writeHead(200, sizedHeaders(headersFor(exchange.doc!, exchange.encoding), body));
    if (req.method === 'HEAD') res.end();
    else res.end(body);
  };
}
