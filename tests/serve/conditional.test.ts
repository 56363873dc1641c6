import { describe, expect, it } from 'vitest';
import { notModified } from '../../src/serve/document/conditional.js';
import { variantHeaders } from '../../src/serve/document/headers.js';
import type { ContentEncoding, RenderedDocument } from '../../src/render/document.js';
import { documentOf, exchange, recordingNext } from './support.js';

const headersFor = variantHeaders(900);

function ask(doc: RenderedDocument, headers: Record<string, string>, encoding?: ContentEncoding) {
  const seen: [string, number][] = [];
  const { exchange: e, res } = exchange({ headers });
  e.doc = doc;
  e.encoding = encoding;
  const next = recordingNext();
  notModified(headersFor, (route, status) => seen.push([route, status]))(e, next);
  return { res, passed: next.calls.length === 1, seen };
}

describe('notModified', () => {
  const doc = documentOf(5000);
  const lastModified = new Date(doc.lastModified - (doc.lastModified % 1000)).toUTCString();

  it('passes an unconditional request on', () => {
    expect(ask(doc, {}).passed).toBe(true);
  });

  it('answers 304 with the validators and caching headers to a matching If-None-Match, and counts it', () => {
    const { res, passed, seen } = ask(doc, { 'If-None-Match': doc.etag });
    expect(passed).toBe(false);
    expect(res.status).toBe(304);
    expect(res.headers).toEqual({
      ETag: doc.etag,
      'Cache-Control': 'public, max-age=900',
      Vary: 'Accept-Encoding',
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Expose-Headers': 'ETag',
      'Last-Modified': lastModified,
    });
    expect(res.body).toBeUndefined();
    expect(seen).toEqual([['feed', 304]]);
  });

  it('compares weakly, in a list, and honours *', () => {
    expect(ask(doc, { 'If-None-Match': `"other", W/${doc.etag}` }).res.status).toBe(304);
    expect(ask(doc, { 'If-None-Match': '*' }).res.status).toBe(304);
    expect(ask(doc, { 'If-None-Match': '"other"' }).passed).toBe(true);
  });

  it('compares the tag of the variant it would send', () => {
    expect(ask(doc, { 'If-None-Match': doc.etagFor('gzip') }, 'gzip').res.status).toBe(304);
    expect(ask(doc, { 'If-None-Match': doc.etagFor('gzip') }, 'br').passed).toBe(true);
    expect(ask(doc, { 'If-None-Match': doc.etag }, 'gzip').passed).toBe(true);
  });

  it('answers If-Modified-Since at or after Last-Modified, and only without If-None-Match', () => {
    expect(ask(doc, { 'If-Modified-Since': lastModified }).res.status).toBe(304);
    expect(ask(doc, { 'If-Modified-Since': new Date(doc.lastModified - 60_000).toUTCString() }).passed).toBe(true);
    expect(ask(doc, { 'If-Modified-Since': 'not a date' }).passed).toBe(true);
    expect(ask(doc, { 'If-None-Match': '"stale"', 'If-Modified-Since': lastModified }).passed).toBe(true);
  });

  it('passes If-Modified-Since on for a document without a date', () => {
    expect(ask(documentOf(5000, 0), { 'If-Modified-Since': new Date().toUTCString() }).passed).toBe(true);
  });

  it('still evaluates the preconditions of a request that says Cache-Control: no-cache', () => {
    expect(ask(doc, { 'If-None-Match': doc.etag, 'Cache-Control': 'no-cache' }).res.status).toBe(304);
  });
});
