import { createHash } from 'node:crypto';
import { parseHttpUrl } from '../shared/url.js';

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
/**
 * A %XX triplet, or a character RFC 3986 §3.3-3.4 does not allow unencoded in a path or query
 * (a stray `%`, `{`, `|`, `^`, `[`...). The WHATWG parser has already encoded everything outside
 * ASCII but leaves some of these raw; encoding them makes `{` and `%7B` one spelling.
 */
const PERCENT_OR_UNSAFE = /%([0-9a-fA-F]{2})|[^A-Za-z0-9\-._~:/?@!$&'()*+,;=]/gu;

function isTracking(name: string): boolean {
  const key = name.toLowerCase();
  return TRACKING_PARAMS.some((p) => (typeof p === 'string' ? p === key : p.test(key)));
}

/** Decodes %XX triplets that stand for unreserved characters, upper-cases the rest, encodes the unsafe. */
function normalisePercent(part: string): string {
  return part.replace(PERCENT_OR_UNSAFE, (whole, hex: string | undefined) => {
    if (hex === undefined) return encodeChar(whole);
    const ch = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(ch) ? ch : `%${hex.toUpperCase()}`;
  });
}

function encodeChar(ch: string): string {
  return Array.from(Buffer.from(ch, 'utf8'), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

function paramName(pair: string): string {
  const raw = pair.split('=', 1)[0] ?? '';
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
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
