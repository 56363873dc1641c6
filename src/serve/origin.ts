import type { Request } from 'express';

/** A Host header we are willing to echo into self links. */
const HOST = /^[a-z0-9.-]+(?::\d{1,5})?$|^\[[0-9a-f:.]+\](?::\d{1,5})?$/i;

/**
 * The scheme://host[:port] a feed was requested under, for self links. A configured base URL
 * wins; otherwise the request's Host (and, behind a trusted proxy, X-Forwarded-*) decides.
 */
export function requestOrigin(req: Request, baseUrl: string | undefined): string {
  if (baseUrl) return baseUrl;
  // With `trust proxy` set, Express reads X-Forwarded-Proto and X-Forwarded-Host here.
  const host = req.host;
  const safeHost = host && HOST.test(host) ? host.toLowerCase() : 'localhost';
  return `${req.protocol}://${safeHost}`;
}
