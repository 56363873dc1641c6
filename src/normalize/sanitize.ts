import sanitize from 'sanitize-html';
import { DROP_WITH_CONTENT, stripNonTextChars } from '../shared/text.js';

/**
 * The allowlist every article body passes through (issue #5), seed and upstream alike.
 * Anything not listed is dropped (its text kept); DROP_WITH_CONTENT goes with everything inside.
 */
export const ALLOWED_TAGS = [
  'p', 'br', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'blockquote', 'figure', 'figcaption',
  'em', 'strong', 'b', 'i', 'a', 'img',
];

/** `rel` is not taken from the input: every kept link gets LINK_REL. */
export const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  a: ['href', 'title', 'rel'],
  img: ['src', 'alt', 'width', 'height'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan', 'scope'],
};

/** URL schemes per attribute, checked on the URL as a browser parses it (WHATWG URL). */
export const ALLOWED_SCHEMES: Record<'a' | 'img', string[]> = {
  a: ['http', 'https', 'mailto'],
  img: ['http', 'https'],
};

export const LINK_REL = 'noopener noreferrer';

/**
 * Tracking pixels: an image declared this small in either dimension (or 0 of anything) shows
 * nothing and exists to be fetched. Miniflux drops 1x1 images; we also take 0, 1px and one-sided
 * declarations, since a 1-pixel line is no more an image than a dot.
 */
export const PIXEL_MAX_DIMENSION = 1;
/** Inline styles that hide an image or shrink it to a pixel; `style` itself is always dropped. */
export const HIDING_STYLES = [
  /(?:^|;)\s*display\s*:\s*none/i,
  /(?:^|;)\s*visibility\s*:\s*hidden/i,
  /(?:^|;)\s*(?:width|height)\s*:\s*(?:0|[01](?:\.0*)?px)\s*(?:!important\s*)?(?:;|$)/i,
];
/** Hosts and paths that serve only counters (Miniflux's isBlockedResource list). */
export const TRACKER_URL_PARTS = [
  'feedsportal.com', 'api.flattr.com', 'stats.wordpress.com', 'pixel.wp.com', 'feeds.feedburner.com',
];

/** The largest width or height kept; anything bigger is garbage, not a layout hint. */
const DIMENSION_MAX = 99_999;

/**
 * The URL as a browser would follow it, or undefined when it is relative or its scheme is not
 * allowed. Parsing first is what defeats obfuscation: entities are already decoded by the HTML
 * parser, and the URL parser drops tabs, newlines and leading controls just as a browser does,
 * so `jav&#x09;ascript:` and ` JaVaScRiPt:` both arrive here as `javascript:`.
 */
export function safeUrl(value: string, schemes: readonly string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(value); // no base: clean.ts already made the article's relative URLs absolute
  } catch {
    return undefined;
  }
  return schemes.includes(url.protocol.slice(0, -1)) ? url.href : undefined;
}

interface Dimension {
  value: number;
  percent: boolean;
}

/** HTML's "rules for parsing dimension values": `1px` is 1, `50%` is a percentage, `auto` nothing. */
function parseDimension(raw: string | undefined): Dimension | undefined {
  if (raw === undefined) return undefined;
  const m = /^[\t\n\f\r ]*(\d+(?:\.\d*)?)(%?)/.exec(raw);
  return m ? { value: Number(m[1]), percent: m[2] === '%' } : undefined;
}

function isPixelDimension(d: Dimension | undefined): boolean {
  return d !== undefined && (d.value === 0 || (!d.percent && d.value <= PIXEL_MAX_DIMENSION));
}

function isTrackingPixel(attribs: Record<string, string>, src: string): boolean {
  return isPixelDimension(parseDimension(attribs.width)) ||
    isPixelDimension(parseDimension(attribs.height)) ||
    attribs.hidden !== undefined ||
    HIDING_STYLES.some((re) => re.test(attribs.style ?? '')) ||
    TRACKER_URL_PARTS.some((part) => src.includes(part));
}

/** A width or height as the valid non-negative integer it stands for, or undefined. */
function pixels(raw: string | undefined): string | undefined {
  const d = parseDimension(raw);
  return d && !d.percent && d.value <= DIMENSION_MAX ? String(Math.floor(d.value)) : undefined;
}

function definedOnly(attribs: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(attribs).filter((e): e is [string, string] => e[1] !== undefined));
}

function transformLink(tagName: string, attribs: sanitize.Attributes): sanitize.Tag {
  const href = attribs.href === undefined ? undefined : safeUrl(attribs.href, ALLOWED_SCHEMES.a);
  if (href === undefined) return { tagName, attribs: {} }; // unwrapped by exclusiveFilter
  return { tagName, attribs: definedOnly({ href, title: attribs.title, rel: LINK_REL }) };
}

function transformImage(tagName: string, attribs: sanitize.Attributes): sanitize.Tag {
  const src = attribs.src === undefined ? undefined : safeUrl(attribs.src, ALLOWED_SCHEMES.img);
  if (src === undefined || isTrackingPixel(attribs, src)) return { tagName, attribs: {} }; // dropped by exclusiveFilter
  return {
    tagName,
    attribs: definedOnly({ src, alt: attribs.alt, width: pixels(attribs.width), height: pixels(attribs.height) }),
  };
}

const TABLE_SCOPES = ['row', 'col', 'rowgroup', 'colgroup'];

function span(raw: string | undefined): string | undefined {
  const n = raw === undefined ? NaN : Number(raw.trim());
  return Number.isInteger(n) && n >= 1 && n <= 1000 ? String(n) : undefined;
}

function transformCell(tagName: string, attribs: sanitize.Attributes): sanitize.Tag {
  const scope = attribs.scope?.trim().toLowerCase();
  return {
    tagName,
    attribs: definedOnly({
      colspan: span(attribs.colspan),
      rowspan: span(attribs.rowspan),
      scope: scope !== undefined && TABLE_SCOPES.includes(scope) ? scope : undefined,
    }),
  };
}

const OPTIONS: sanitize.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: ALLOWED_ATTRIBUTES,
  // The transforms below already admit only absolute URLs of these schemes; sanitize-html's own
  // check stays on as a second line.
  allowedSchemes: [],
  allowedSchemesByTag: ALLOWED_SCHEMES,
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: DROP_WITH_CONTENT,
  selfClosing: ['img', 'br'],
  transformTags: { a: transformLink, img: transformImage, td: transformCell, th: transformCell },
  exclusiveFilter: (frame) => {
    if (frame.tag === 'img') return !frame.attribs.src;
    if (frame.tag === 'a' && !frame.attribs.href) return 'excludeTag';
    return false;
  },
};

/**
 * Unwrapping an element can leave nesting the parser itself would never build: `<p><a><p>`
 * becomes `<p><p></p></p>`, which reads back as two paragraphs. Sanitising again until nothing
 * changes makes the result a fixed point; it settles in two passes, rarely three.
 */
const MAX_PASSES = 5;

function sanitizeOnce(html: string): string {
  // Entities such as `&#1;` decode to controls inside the parser, so clean the output too.
  return stripNonTextChars(sanitize(stripNonTextChars(html), OPTIONS));
}

/** Reduces HTML to the allowlist above; safe to embed in any feed or page. Idempotent. */
export function sanitizeHtml(html: string): string {
  let out = sanitizeOnce(html);
  for (let pass = 1; pass < MAX_PASSES; pass += 1) {
    const again = sanitizeOnce(out);
    if (again === out) break;
    out = again;
  }
  return out;
}
