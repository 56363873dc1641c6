import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UrlError } from '../../src/errors.js';
import { canonicalUrl, TRACKING_PARAMS } from '../../src/normalize/canonicalUrl.js';
import { anyText, RUNS } from '../support/arbitraries.js';

/** canonicalUrl's result, or the error it threw. */
function attempt(input: string): string | Error {
  try {
    return canonicalUrl(input);
  } catch (err) {
    return err as Error;
  }
}

// ---- a URL model, written out in many spellings that RFC 3986 (and WHATWG URL) call equivalent

/** One character of a path segment or query value, and how a variant spells it. */
interface Char {
  ch: string;
  /** Percent-encode it (only where that is an equivalent spelling). */
  encode: boolean;
  /** Upper- or lower-case hex digits in its %XX. */
  upperHex: boolean;
}

const UNRESERVED = 'ABCXYZabcxyz0129-._~';
/** Encoded or raw, these read the same: WHATWG encodes them itself, or canonicalUrl does. */
const ENCODABLE_ASCII = ' "<>`{}|^[]';
/** Reserved: `%21` and `!` are different URLs, so a variant never changes their spelling. */
const SUB_DELIMS = "!$'()*+,;=:@";

const char: fc.Arbitrary<Char> = fc.record({
  ch: fc.oneof(
    { arbitrary: fc.constantFrom(...UNRESERVED), weight: 5 },
    { arbitrary: fc.constantFrom(...ENCODABLE_ASCII), weight: 1 },
    { arbitrary: fc.constantFrom(...SUB_DELIMS), weight: 1 },
    { arbitrary: fc.constantFrom('国', '際', 'é', 'ß', '😀', 'Ω'), weight: 2 },
  ),
  encode: fc.boolean(),
  upperHex: fc.boolean(),
});

// A URL parser strips a trailing raw space, which would make it no spelling of the same URL.
const word = (min: number) => fc.array(char, { minLength: min, maxLength: 8 }).filter((w) => w.at(-1)?.ch !== ' ');

function percentEncode(ch: string, upperHex: boolean): string {
  return Array.from(Buffer.from(ch, 'utf8'), (b) => {
    const hex = b.toString(16).padStart(2, '0');
    return `%${upperHex ? hex.toUpperCase() : hex}`;
  }).join('');
}

/** How the plain URL spells a character, and how a variant may. */
const plain = (c: Char): string => c.ch;
const varied = (c: Char): string => (c.encode && !SUB_DELIMS.includes(c.ch) ? percentEncode(c.ch, c.upperHex) : c.ch);

const label = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/),
  fc.constantFrom('例子', '新闻', 'bücher'),
);

const TRACKING_NAMES = ['utm_source', 'UTM_Medium', 'utm_campaign', 'fbclid', 'gclid', 'xtor', 'maca', 'at_medium', 'utm%5Fterm'];

interface UrlModel {
  hostLabels: string[];
  path: Char[][];
  query: [Char[], Char[]][];
  variant: {
    scheme: string;
    hostCase: boolean[];
    defaultPort: boolean;
    unicodeHost: boolean;
    tracking: [string, string][];
    fragment: string | undefined;
    queryOrder: number[];
  };
}

const MAX_PARAMS = 4;

const urlModel: fc.Arbitrary<UrlModel> = fc.record({
  hostLabels: fc.array(label, { minLength: 1, maxLength: 3 }),
  path: fc.array(word(1), { maxLength: 4 }),
  // Names that are tracking parameters would be dropped from the plain URL too; keep them out.
  query: fc.array(fc.tuple(word(1), word(0)), { maxLength: MAX_PARAMS })
    .map((pairs) => pairs.filter(([name]) => !isTrackingName(name.map(plain).join('')))),
  variant: fc.record({
    scheme: fc.constantFrom('http', 'https', 'HTTP', 'Https'),
    hostCase: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
    defaultPort: fc.boolean(),
    unicodeHost: fc.boolean(),
    tracking: fc.array(fc.tuple(fc.constantFrom(...TRACKING_NAMES), fc.stringMatching(/^[a-z0-9-]{0,8}$/)), { maxLength: 3 }),
    fragment: fc.option(fc.string({ unit: 'grapheme', maxLength: 10 }), { nil: undefined }),
    /** Sort keys for the query's parameters: the variant writes them in this order. */
    queryOrder: fc.array(fc.nat(), { minLength: MAX_PARAMS, maxLength: MAX_PARAMS }),
  }),
});

function isTrackingName(name: string): boolean {
  const key = name.toLowerCase();
  return TRACKING_PARAMS.some((p) => (typeof p === 'string' ? p === key : p.test(key)));
}

function host(m: UrlModel): string {
  return `${m.hostLabels.join('.')}.example`;
}

/** The model spelt plainly: https, the host as written, every character raw, no extras. */
function plainUrl(m: UrlModel): string {
  const path = m.path.map((seg) => seg.map(plain).join('')).join('/');
  const query = m.query.map(([n, v]) => `${n.map(plain).join('')}=${v.map(plain).join('')}`).join('&');
  return `https://${host(m)}/${path}${query ? `?${query}` : ''}`;
}

/** The same resource spelt differently: scheme, host case and IDN form, port, encoding, order, extras. */
function variantUrl(m: UrlModel): string {
  const v = m.variant;
  const ascii = new URL(`https://${host(m)}/`).hostname;
  const hostname = Array.from(v.unicodeHost ? host(m) : ascii, (c, i) => (v.hostCase[i % v.hostCase.length] ? c.toUpperCase() : c)).join('');
  const port = v.defaultPort ? (v.scheme.toLowerCase() === 'https' ? ':443' : ':80') : '';
  const path = m.path.map((seg) => seg.map(varied).join('')).join('/');
  const order = m.query.map((_, i) => i).sort((a, b) => v.queryOrder[a]! - v.queryOrder[b]! || a - b);
  const pairs = order.map((i) => m.query[i]!).map(([n, val]) => `${n.map(varied).join('')}=${val.map(varied).join('')}`);
  for (const [k, [name, value]] of v.tracking.entries()) pairs.splice(k % (pairs.length + 1), 0, `${name}=${value}`);
  const query = pairs.length > 0 ? `?${pairs.join('&')}` : '';
  const fragment = v.fragment === undefined ? '' : `#${v.fragment}`;
  return `${v.scheme}://${hostname}${port}/${path}${query}${fragment}`;
}

/** Mostly URLs: generated ones, model variants, and schemes followed by anything. */
const urlish = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.tuple(fc.constantFrom('http://', 'https://', 'HTTP://', 'http:', 'https:/', '//', 'ftp://', 'javascript:', ' http://'), anyText(40))
    .map(([scheme, rest]) => scheme + rest),
  urlModel.map(variantUrl),
);

const arbitraryInput = fc.oneof(anyText(60), urlish);

describe('canonicalUrl: properties over arbitrary strings', () => {
  it('returns a URL or throws UrlError, nothing else', () => {
    fc.assert(fc.property(arbitraryInput, (input) => {
      const result = attempt(input);
      if (result instanceof Error) expect(result).toBeInstanceOf(UrlError);
    }), { numRuns: RUNS });
  });

  it('returns an https URL with a host and path, no fragment and no credentials', () => {
    fc.assert(fc.property(urlish, (input) => {
      const result = attempt(input);
      fc.pre(typeof result === 'string');
      const url = new URL(result as string);
      expect(url.protocol).toBe('https:');
      expect(url.hostname).not.toBe('');
      expect(url.hash).toBe('');
      expect(url.username + url.password).toBe('');
      expect(result).not.toContain('#');
    }), { numRuns: RUNS });
  });

  it('is idempotent: canonicalUrl(canonicalUrl(u)) === canonicalUrl(u)', () => {
    fc.assert(fc.property(urlish, (input) => {
      const once = attempt(input);
      fc.pre(typeof once === 'string');
      expect(canonicalUrl(once as string)).toBe(once);
    }), { numRuns: RUNS });
  });

  it('writes only characters RFC 3986 allows in a path and query, and % only in a %XX triplet', () => {
    fc.assert(fc.property(urlish, (input) => {
      const result = attempt(input);
      fc.pre(typeof result === 'string');
      const url = new URL(result as string);
      expect(url.pathname + url.search).toMatch(/^(?:[A-Za-z0-9\-._~:/?@!$&'()*+,;=]|%[0-9A-F]{2})*$/);
    }), { numRuns: RUNS });
  });
});

describe('canonicalUrl: equivalent spellings give one canonical URL', () => {
  it('scheme, host case and IDN form, default port, fragment, tracking parameters, query order and percent-encoding', () => {
    fc.assert(fc.property(urlModel, (model) => {
      expect(canonicalUrl(variantUrl(model))).toBe(canonicalUrl(plainUrl(model)));
    }), { numRuns: RUNS });
  });

  it.each([
    ['a raw and an encoded {', 'https://a.example/x?q={1}', 'https://a.example/x?q=%7B1%7D'],
    ['a raw | in the path and %7c', 'https://a.example/a|b', 'https://a.example/a%7cb'],
    ['a stray % and %25', 'https://a.example/100%?q=5%', 'https://a.example/100%25?q=5%25'],
    ['raw and encoded brackets in the query', 'https://a.example/?a[]=1', 'https://a.example/?a%5b%5d=1'],
    ['a raw space and %20 in the query', 'https://a.example/?q=a b', 'https://a.example/?q=a%20b'],
  ])('%s', (_name, a, b) => {
    expect(canonicalUrl(a)).toBe(canonicalUrl(b));
  });

  it('the model does tell different URLs apart', () => {
    fc.assert(fc.property(urlModel, (model) => {
      fc.pre(model.path.length > 0);
      const other: UrlModel = { ...model, path: [...model.path, [{ ch: 'z', encode: false, upperHex: false }]] };
      expect(canonicalUrl(variantUrl(other))).not.toBe(canonicalUrl(plainUrl(model)));
    }), { numRuns: 50 });
  });
});
