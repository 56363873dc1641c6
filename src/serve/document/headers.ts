import type { ContentEncoding, RenderedDocument } from '../../render/document.js';
import { CORS_HEADERS } from './cors.js';

type Headers = Record<string, string>;

export interface VariantHeaders {
  ok: Headers;
  /** `ok` with Content-Length, made on the first 200 of this variant. */
  sized?: { bytes: number; headers: Headers };
  /** RFC 9110 §15.4.5: a 304 carries the validators and caching headers, no representation metadata. */
  notModified: Headers;
  /** The validators as `fresh` reads response headers: lower-case names. */
  validators: { etag: string; 'last-modified'?: string };
}

export type HeadersFor = (doc: RenderedDocument, encoding: ContentEncoding | undefined) => VariantHeaders;

function httpDate(ms: number): string {
  return new Date(ms - (ms % 1000)).toUTCString();
}

/**
 * Headers per document and coding, made once: the 304 and cached-200 paths then only look them up.
 * Every response varies by Accept-Encoding, identity ones included, so caches keep them apart.
 */
export function variantHeaders(maxAgeSeconds: number): HeadersFor {
  const byDoc = new WeakMap<RenderedDocument, Map<string, VariantHeaders>>();
  return (doc, encoding) => {
    let variants = byDoc.get(doc);
    if (!variants) {
      variants = new Map();
      byDoc.set(doc, variants);
    }
    const key = encoding ?? 'identity';
    let headers = variants.get(key);
    if (!headers) {
      const etag = doc.etagFor(encoding);
      const notModified: Headers = {
        ETag: etag,
        'Cache-Control': `public, max-age=${maxAgeSeconds}`,
        Vary: 'Accept-Encoding',
        ...CORS_HEADERS,
      };
      const validators: VariantHeaders['validators'] = { etag };
      if (doc.lastModified > 0) {
        notModified['Last-Modified'] = httpDate(doc.lastModified);
        validators['last-modified'] = notModified['Last-Modified'];
      }
      const ok: Headers = { 'Content-Type': doc.contentType, ...notModified, 'X-Content-Type-Options': 'nosniff', ...doc.headers };
      if (encoding) ok['Content-Encoding'] = encoding;
      headers = { ok, notModified, validators };
      variants.set(key, headers);
    }
    return headers;
  };
}

/** The variant's 200 headers with Content-Length for `body`, kept for the next answer of that length. */
export function sizedHeaders(variant: VariantHeaders, body: Buffer): Headers {
  let sized = variant.sized;
  if (sized?.bytes !== body.length) {
    sized = { bytes: body.length, headers: { ...variant.ok, 'Content-Length': String(body.length) } };
    variant.sized = sized;
  }
  return sized.headers;
}
