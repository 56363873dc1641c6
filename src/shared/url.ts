import { UrlError } from '../errors.js';

/** URL parsing every stage shares: seed files, feeds, definitions and the fetcher take URLs only this way. */

/**
 * A host as the WHATWG parser writes a usable one: DNS labels (IDNs already in punycode; `_`
 * occurs in the wild), an IPv4 address or a bracketed IPv6 one. WHATWG itself accepts hosts
 * such as `"` or `{a}`, which RFC 3986 does not and no feed reader will follow.
 */
const HOST = /^(?:[a-z0-9_-]+\.)*[a-z0-9_-]+\.?$|^\[[0-9a-f:.]+\]$/;

/** Parses an absolute http(s) URL or throws UrlError naming it. */
export function parseHttpUrl(input: string, base?: string): URL {
  let url: URL;
  try {
    url = new URL(input.trim(), base);
  } catch {
    throw new UrlError(`not a URL: ${JSON.stringify(input.slice(0, 200))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UrlError(`not an http(s) URL: ${JSON.stringify(input.slice(0, 200))}`);
  }
  if (!url.hostname) throw new UrlError(`URL has no host: ${JSON.stringify(input.slice(0, 200))}`);
  if (!HOST.test(url.hostname)) {
    throw new UrlError(`URL host is not a domain name or IP address: ${JSON.stringify(input.slice(0, 200))}`);
  }
  return url;
}
