import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** A Host header we are willing to echo into self links. */
const HOST = /^[a-z0-9.-]+(?::\d{1,5})?$|^\[[0-9a-f:.]+\](?::\d{1,5})?$/i;

export interface OriginOptions {
  /** A configured public address (--base-url); wins over anything the request says. */
  baseUrl: string | undefined;
  /** Honour X-Forwarded-Proto and X-Forwarded-Host (--trust-proxy). */
  trustProxy: boolean;
}

/** The first value of a header a proxy chain may have appended to (`a, b`). */
function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const first = value?.split(',')[0]?.trim();
  return first === '' ? undefined : first;
}

/**
 * The scheme://host[:port] a document was requested under, for self links. A configured base URL
 * wins; otherwise the request's Host and, behind a trusted proxy, X-Forwarded-Proto and
 * X-Forwarded-Host decide. Works on plain node:http requests and Express's alike.
 */
export function requestOrigin(req: IncomingMessage, options: OriginOptions): string {
  if (options.baseUrl) return options.baseUrl;
  let proto = (req.socket as Partial<TLSSocket>).encrypted === true ? 'https' : 'http';
  let host = req.headers.host;
  if (options.trustProxy) {
    const forwardedProto = firstValue(req.headers['x-forwarded-proto'])?.toLowerCase();
    if (forwardedProto === 'http' || forwardedProto === 'https') proto = forwardedProto;
    host = firstValue(req.headers['x-forwarded-host']) ?? host;
  }
  const safeHost = host && HOST.test(host) ? host.toLowerCase() : 'localhost';
  return `${proto}://${safeHost}`;
}
