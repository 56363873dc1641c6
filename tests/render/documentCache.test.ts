import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { RenderedDocument } from '../../src/render/document.js';
import { DocumentCache } from '../../src/render/documentCache.js';

function doc(bytes: number, fill = 'a'): RenderedDocument {
  return new RenderedDocument(Buffer.from(fill.repeat(bytes)), 'text/plain', 0);
}

describe('document cache', () => {
  it('keeps at most the given number of documents, dropping the least recently used', () => {
    const cache = new DocumentCache({ entries: 2, bytes: 1 << 20 });
    cache.set('a', doc(10));
    cache.set('b', doc(10));
    expect(cache.get('a')).toBeDefined(); // a is now the most recently used
    cache.set('c', doc(10));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.count).toBe(2);
  });

  it('keeps within its byte budget', () => {
    const cache = new DocumentCache({ entries: 100, bytes: 250 });
    for (let i = 0; i < 10; i += 1) cache.set(String(i), doc(100));
    expect(cache.bytes).toBeLessThanOrEqual(250);
    expect(cache.count).toBe(2);
    expect(cache.get('9')).toBeDefined();
  });

  it('keeps the newest document even when it alone is over budget', () => {
    const cache = new DocumentCache({ entries: 100, bytes: 10 });
    cache.set('big', doc(100));
    expect(cache.get('big')).toBeDefined();
  });
});

describe('rendered document', () => {
  it('has a strong ETag that depends only on the bytes', () => {
    expect(doc(5).etag).toBe(doc(5).etag);
    expect(doc(5).etag).not.toBe(doc(6).etag);
    expect(doc(5).etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
  });

  it('gives each coding its own strong ETag', () => {
    const d = doc(5);
    expect(new Set([d.etagFor(undefined), d.etagFor('gzip'), d.etagFor('br')]).size).toBe(3);
  });

  it('compresses once and keeps the result', async () => {
    const d = doc(20_000, 'feedrelay ');
    const first = await d.encode('br');
    expect(first).not.toBeNull();
    expect(await d.encode('br')).toBe(first);
    expect(d.encodedNow('br')).toBe(first);
    expect(brotliDecompressSync(first!).equals(d.body)).toBe(true);
    expect(gunzipSync((await d.encode('gzip'))!).equals(d.body)).toBe(true);
    expect(d.size).toBe(d.body.length + first!.length + d.encodedNow('gzip')!.length);
  });

  it('does not compress a body too small to gain', async () => {
    const d = doc(100);
    expect(await d.encode('gzip')).toBeNull();
    expect(d.encodedNow('br')).toBeNull();
  });
});
