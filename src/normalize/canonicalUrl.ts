import { createHash } from 'node:crypto';
import { UrlError } from '../errors.js';

/**
 * Query parameters that only track the click, never select the content. Sources: the utm_*
 * family (Google Analytics), DW's `maca`, RFI/AT Internet's `xtor` and `at_*`, and the click ids
 * Miniflux's urlcleaner drops (fbclid, gclid, msclkid, ...).
 */
export const TRACKING_PARAMS: readonly (string | RegExp)[] = [
  /^utm_/,
  /^at_/,
  'maca',
  'xtor',
  'fbclid',
  'gclid',
  'dclid',
  'msclkid',
  'mc_cid',
  'mc_eid',
  'igshid',
  'yclid',
  '_ga',
  'ref_src',
];

// RFC 3986 §2.3: percent-encoded unreserved characters are equivalent to the characters.
const UNRESERVED = /[A-Za-z0-9\-._~]/;

function isTracking(name: string): boolean {
  const key = name.toLowerCase();
  return TRACKING_PARAMS.some((p) => (typeof p === 'string' ? p === key : p.test(key)));
}

/** Decodes %XX triplets that stand for unreserved characters and upper-cases the rest. */
function normalisePercent(part: string): string {
  return part.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
    const ch = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(ch) ? ch : `%${hex.toUpperCase()}`;
  });
}

function paramName(pair: string): string {
  const raw = pair.split('=', 1)[0] ?? '';
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

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
  return url;
}

/**
 * The one spelling of an article URL that dedupe keys on: https, lower-case host, no default
 * port, no fragment or credentials, tracking parameters dropped, the rest of the query sorted,
 * and percent-encoding normalised so `%E5%9B%BD`, `%e5%9b%bd` and `国` are the same path.
 */
export function canonicalUrl(input: string): string {
  const url = parseHttpUrl(input);
  url.protocol = 'https:';
  url.username = '';
  url.password = '';
  url.hash = '';
  if (url.port === '443') url.port = '';
  const pairs = url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && !isTracking(paramName(pair)))
    .map(normalisePercent);
  pairs.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const path = normalisePercent(url.pathname);
  const query = pairs.length > 0 ? `?${pairs.join('&')}` : '';
  return `https://${url.host}${path}${query}`;
}

/** The article id: the first 16 hex digits of SHA-256 of the canonical URL. */
export function urlHash(canonical: string): string {
  return createHash('sha256').update(canonical, 'utf8').digest('hex').slice(0, 16);
}
