import { describe, expect, it } from 'vitest';
import { RenderedDocument } from '../../src/render/document.js';
import { variantHeaders } from '../../src/serve/document/headers.js';
import { sendDocument } from '../../src/serve/document/send.js';
import { documentOf, exchange } from './support.js';

describe('sendDocument', () => {
  it('sends 200 with the variant\'s headers, its length and the body, and counts it', async () => {
    const seen: [string, number][] = [];
    const doc = documentOf(5000);
    const gzipped = (await doc.encode('gzip'))!;
    const { exchange: e, res } = exchange();
    e.doc = doc;
    e.encoding = 'gzip';
    e.body = gzipped;
    sendDocument(variantHeaders(60), (route, status) => seen.push([route, status]))(e);
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({
      'Content-Type': 'application/rss+xml; charset=utf-8',
      'Content-Encoding': 'gzip',
      'Content-Length': String(gzipped.length),
      ETag: doc.etagFor('gzip'),
      'Cache-Control': 'public, max-age=60',
      Vary: 'Accept-Encoding',
      'X-Content-Type-Options': 'nosniff',
      'Access-Control-Allow-Origin': '*',
    });
    expect(res.body).toBe(gzipped);
    expect(seen).toEqual([['feed', 200]]);
  });

  it('sends the headers and no body to HEAD', () => {
    const doc = documentOf(300);
    const { exchange: e, res } = exchange({ method: 'HEAD' });
    e.doc = doc;
    e.body = doc.body;
    sendDocument(variantHeaders(60), () => {})(e);
    expect(res.headers?.['Content-Length']).toBe('300');
    expect(res.body).toBeUndefined();
  });
});

describe('variantHeaders', () => {
  it('makes each variant\'s headers once, with the document\'s own', () => {
    const headersFor = variantHeaders(900);
    const doc = new RenderedDocument(Buffer.from('<html></html>'), 'text/html; charset=utf-8', 0, { 'Content-Security-Policy': "default-src 'none'" });
    const identity = headersFor(doc, undefined);
    expect(headersFor(doc, undefined)).toBe(identity);
    expect(headersFor(doc, 'br')).not.toBe(identity);
    expect(identity.ok['Content-Security-Policy']).toBe("default-src 'none'");
    expect(identity.ok['Content-Encoding']).toBeUndefined();
    expect(headersFor(doc, 'br').ok['Content-Encoding']).toBe('br');
  });

  it('leaves Last-Modified out for a document without a date', () => {
    const headers = variantHeaders(900)(documentOf(10, 0), undefined);
    expect(headers.notModified['Last-Modified']).toBeUndefined();
    expect(headers.validators).toEqual({ etag: headers.notModified.ETag });
  });
});
