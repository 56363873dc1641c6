import sanitize from 'sanitize-html';

/**
 * The allowlist every article body passes through (issue #5), seed and upstream alike.
 * Anything not listed is dropped; the elements in DROP_WITH_CONTENT go with everything inside.
 */
export const ALLOWED_TAGS = [
  'p', 'br', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'blockquote', 'figure', 'figcaption',
  'em', 'strong', 'b', 'i', 'a', 'img',
];

export const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  a: ['href', 'title', 'rel'], // rel is always overwritten below
  img: ['src', 'alt', 'width', 'height'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan', 'scope'],
};

export const ALLOWED_SCHEMES: Record<string, string[]> = {
  a: ['http', 'https', 'mailto'],
  img: ['http', 'https'],
};

export const DROP_WITH_CONTENT = [
  'script', 'style', 'iframe', 'object', 'embed', 'form', 'noscript', 'svg', 'math',
  'template', 'textarea', 'select', 'option', 'button', 'audio', 'video', 'canvas', 'title',
];

/** Pixel trackers: images no larger than this in both dimensions carry no content. */
const TRACKING_PIXEL_MAX = 1;

const DIMENSION = /^\d{1,5}$/;

function isTrackingPixel(attribs: Record<string, string>): boolean {
  const w = attribs.width;
  const h = attribs.height;
  return w !== undefined && h !== undefined && DIMENSION.test(w) && DIMENSION.test(h) &&
    +w <= TRACKING_PIXEL_MAX && +h <= TRACKING_PIXEL_MAX;
}

const OPTIONS: sanitize.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: ALLOWED_ATTRIBUTES,
  allowedSchemes: [],
  allowedSchemesByTag: ALLOWED_SCHEMES,
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: DROP_WITH_CONTENT,
  selfClosing: ['img', 'br'],
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer' } }),
    img: (tagName, attribs) => {
      const kept = { ...attribs };
      // width="100%" and the like are not valid HTML dimensions
      if (kept.width !== undefined && !DIMENSION.test(kept.width)) delete kept.width;
      if (kept.height !== undefined && !DIMENSION.test(kept.height)) delete kept.height;
      return { tagName, attribs: kept };
    },
  },
  exclusiveFilter: (frame) =>
    frame.tag === 'img' && (!frame.attribs.src || isTrackingPixel(frame.attribs)),
};

/** Reduces HTML to the allowlist above; safe to embed in any feed or page. Idempotent. */
export function sanitizeHtml(html: string): string {
  return sanitize(html, OPTIONS);
}

/** Plain text from HTML-ish input: tags dropped, entities decoded, whitespace collapsed. */
export function toPlainText(input: string): string {
  const text = sanitize(input, { allowedTags: [], allowedAttributes: {}, nonTextTags: DROP_WITH_CONTENT });
  return decodeEntities(text).replace(/\s+/g, ' ').trim();
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}
