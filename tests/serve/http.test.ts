import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedPublisher } from '../../src/render/publisher.js';
import { loadSourceDefinitions } from '../../src/sources/definitions.js';
import { SourceRegistry } from '../../src/sources/registry.js';
import type { Store } from '../../src/store/store.js';
import { makeArticle, makePublisher, makeStore, NOW } from '../support/articles.js';
import { type RunningServer, startServer } from '../support/servers.js';
import { request } from '../support/http.js';
import { removeDir, tempDir } from '../support/tempDir.js';

let store: Store;
let publisher: FeedPublisher;
let server: RunningServer;

beforeAll(async () => {
  store = await makeStore(60);
  publisher = makePublisher(store);
  server = await startServer(publisher, { maxAgeSeconds: 600 });
});
afterAll(async () => {
  await server?.close();
  publisher?.close();
  await store?.close();
});

const get = (path: string, headers: Record<string, string> = {}) => request(`${server.url}${path}`, { headers });

describe('feed responses', () => {
  it('carry a strong ETag, Last-Modified, caching, Vary and CORS headers', async () => {
    const res = await get('/feed.xml');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    expect(res.headers.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(res.headers['last-modified']).toBe(new Date(makeArticle(59).archived - (makeArticle(59).archived % 1000)).toUTCString());
    expect(res.headers['cache-control']).toBe('public, max-age=600');
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
  });

  it.each([
    ['/atom.xml', 'application/atom+xml; charset=utf-8'],
    ['/feed.json', 'application/feed+json; charset=utf-8'],
    ['/voa/feed.xml', 'application/rss+xml; charset=utf-8'],
    ['/archive/1/atom.xml', 'application/atom+xml; charset=utf-8'],
    ['/opml.xml', 'text/x-opml; charset=utf-8'],
    ['/', 'text/html; charset=utf-8'],
  ])('%s is served as %s', async (path, type) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.headers.etag).toBeDefined();
    expect(Date.parse(String(res.headers['last-modified']))).not.toBeNaN();
  });

  it('dates /opml.xml by its newest source definition file, and answers If-Modified-Since with 304', async () => {
    const dir = await tempDir('opml');
    try {
      const definition = (title: string) => JSON.stringify({ title, url: 'https://www.dw.com/zh/', feeds: [], language: 'zh-Hans' });
      await writeFile(join(dir, 'dw.json'), definition('德国之声中文网'));
      await writeFile(join(dir, 'voa.json'), definition('美国之音中文网'));
      await utimes(join(dir, 'dw.json'), new Date(Date.UTC(2024, 2, 1)), new Date(Date.UTC(2024, 2, 1)));
      await utimes(join(dir, 'voa.json'), new Date(Date.UTC(2024, 5, 9, 8, 30)), new Date(Date.UTC(2024, 5, 9, 8, 30)));
      const { sources } = await loadSourceDefinitions(dir);
      const opmlStore = await makeStore(3);
      const opmlPublisher = new FeedPublisher(opmlStore, new SourceRegistry(sources), { ttlMinutes: 15, clock: () => NOW });
      const s = await startServer(opmlPublisher);
      try {
        const res = await request(`${s.url}/opml.xml`);
        expect(res.headers['last-modified']).toBe('Sun, 09 Jun 2024 08:30:00 GMT');
        const again = await request(`${s.url}/opml.xml`, { headers: { 'If-Modified-Since': 'Sun, 09 Jun 2024 08:30:00 GMT' } });
        expect(again.status).toBe(304);
      } finally {
        await s.close();
        opmlPublisher.close();
        await opmlStore.close();
      }
    } finally {
      await removeDir(dir);
    }
  });

  it('gives the same bytes and ETag to the same request', async () => {
    const [a, b] = [await get('/atom.xml'), await get('/atom.xml')];
    expect(a.body.equals(b.body)).toBe(true);
    expect(a.headers.etag).toBe(b.headers.etag);
  });
});

describe('conditional requests', () => {
  it('answers a matching If-None-Match with 304 and no body', async () => {
    const first = await get('/feed.xml');
    const res = await get('/feed.xml', { 'If-None-Match': first.headers.etag! });
    expect(res.status).toBe(304);
    expect(res.body.length).toBe(0);
    expect(res.headers.etag).toBe(first.headers.etag);
    expect(res.headers['cache-control']).toBe('public, max-age=600');
    expect(res.headers['content-type']).toBeUndefined();
  });

  it('compares If-None-Match weakly, in a list, and honours *', async () => {
    const { etag } = (await get('/feed.xml')).headers;
    expect((await get('/feed.xml', { 'If-None-Match': `"other", W/${etag!}` })).status).toBe(304);
    expect((await get('/feed.xml', { 'If-None-Match': '*' })).status).toBe(304);
    expect((await get('/feed.xml', { 'If-None-Match': '"other"' })).status).toBe(200);
  });

  it('answers If-Modified-Since at or after Last-Modified with 304', async () => {
    const lastModified = (await get('/feed.xml')).headers['last-modified']!;
    expect((await get('/feed.xml', { 'If-Modified-Since': lastModified })).status).toBe(304);
    const later = new Date(Date.parse(lastModified) + 60_000).toUTCString();
    expect((await get('/feed.xml', { 'If-Modified-Since': later })).status).toBe(304);
  });

  it('sends the feed for an If-Modified-Since before Last-Modified, or unreadable', async () => {
    const lastModified = (await get('/feed.xml')).headers['last-modified']!;
    const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
    expect((await get('/feed.xml', { 'If-Modified-Since': earlier })).status).toBe(200);
    expect((await get('/feed.xml', { 'If-Modified-Since': 'yesterday' })).status).toBe(200);
  });

  it('lets If-None-Match decide when both are sent (RFC 9110 §13.2.2)', async () => {
    const lastModified = (await get('/feed.xml')).headers['last-modified']!;
    const res = await get('/feed.xml', { 'If-None-Match': '"stale"', 'If-Modified-Since': lastModified });
    expect(res.status).toBe(200);
  });

  it('sends the new feed to an old ETag once the store changes', async () => {
    const local = await makeStore(5);
    const s = await startServer(makePublisher(local));
    try {
      const before = await request(`${s.url}/feed.xml`);
      expect(await local.insert(makeArticle(5))).toMatchObject({ result: 'added' });
      const after = await request(`${s.url}/feed.xml`, { headers: { 'If-None-Match': before.headers.etag! } });
      expect(after.status).toBe(200);
      expect(after.headers.etag).not.toBe(before.headers.etag);
      expect(parseRssFeed(after.body.toString()).items).toHaveLength(6);
    } finally {
      await s.close();
      await local.close();
    }
  });
});

describe('compression', () => {
  it('sends gzip that decompresses to the identity bytes, with its own ETag', async () => {
    const identity = await get('/atom.xml');
    const res = await get('/atom.xml', { 'Accept-Encoding': 'gzip' });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(gunzipSync(res.body).equals(identity.body)).toBe(true);
    expect(res.body.length).toBeLessThan(identity.body.length / 2);
    expect(res.headers.etag).toBe(`${identity.headers.etag!.slice(0, -1)}-gzip"`);
  });

  it('sends Brotli that decompresses to the identity bytes', async () => {
    const identity = await get('/feed.json');
    const res = await get('/feed.json', { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(res.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(res.body).equals(identity.body)).toBe(true);
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
  });

  it('honours q-values', async () => {
    expect((await get('/feed.xml', { 'Accept-Encoding': 'br;q=0.1, gzip;q=0.9' })).headers['content-encoding']).toBe('gzip');
    expect((await get('/feed.xml', { 'Accept-Encoding': 'br;q=0, gzip;q=0' })).headers['content-encoding']).toBeUndefined();
    expect((await get('/feed.xml', { 'Accept-Encoding': 'identity' })).headers['content-encoding']).toBeUndefined();
  });

  it('compresses each document once and answers later requests from memory', async () => {
    const first = await get('/voa/atom.xml', { 'Accept-Encoding': 'br' });
    // The document the server answered from is the one in the cache.
    const doc = publisher.cached(server.url, '/voa/atom.xml', '')!;
    expect(doc).toBeDefined();
    expect(await publisher.document(server.url, '/voa/atom.xml', '')).toBe(doc);
    expect(doc.encodedNow('br')?.equals(first.body)).toBe(true);
    const kept = doc.encodedNow('br');
    await get('/voa/atom.xml', { 'Accept-Encoding': 'br' });
    expect((await publisher.document(server.url, '/voa/atom.xml', ''))!.encodedNow('br')).toBe(kept);
  });

  it('answers 304 for the ETag of the coding it would send, and the body for another', async () => {
    const gz = await get('/rfi/atom.xml', { 'Accept-Encoding': 'gzip' });
    expect((await get('/rfi/atom.xml', { 'Accept-Encoding': 'gzip', 'If-None-Match': gz.headers.etag! })).status).toBe(304);
    const other = await get('/rfi/atom.xml', { 'Accept-Encoding': 'br', 'If-None-Match': gz.headers.etag! });
    expect(other.status).toBe(200);
    expect(other.headers['content-encoding']).toBe('br');
  });
});

describe('HEAD', () => {
  it('sends the GET headers and no body', async () => {
    const full = await get('/atom.xml');
    const head = await request(`${server.url}/atom.xml`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-length']).toBe(String(full.body.length));
    expect(head.headers.etag).toBe(full.headers.etag);
    expect(head.headers['last-modified']).toBe(full.headers['last-modified']);
  });

  it('states the compressed length for a compressed HEAD', async () => {
    const gz = await get('/feed.xml', { 'Accept-Encoding': 'gzip' });
    const head = await request(`${server.url}/feed.xml`, { method: 'HEAD', headers: { 'Accept-Encoding': 'gzip' } });
    expect(head.headers['content-encoding']).toBe('gzip');
    expect(head.headers['content-length']).toBe(String(gz.body.length));
  });

  it('answers a conditional HEAD with 304', async () => {
    const { etag } = (await get('/feed.xml')).headers;
    const head = await request(`${server.url}/feed.xml`, { method: 'HEAD', headers: { 'If-None-Match': etag! } });
    expect(head.status).toBe(304);
  });
});

describe('bad requests', () => {
  it.each([
    ['/feed.xml?limit=0', 'limit: expected a whole number from 1 to 500, got "0"'],
    ['/feed.xml?limit=501', 'limit: expected a whole number from 1 to 500, got "501"'],
    ['/atom.xml?lang=en', 'lang: expected zh-Hans or zh-Hant, got "en"'],
    ['/feed.json?q=', 'q: expected a keyword, got an empty value'],
    ['/voa/feed.xml?utm_source=x&limit=0', 'limit: expected a whole number from 1 to 500, got "0"'],
    ['/archive/1/atom.xml?limit=5', 'limit: archive pages have a fixed size; leave limit out'],
  ])('%s → 400 naming the parameter', async (path, message) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.body.toString()).toBe(`${message}\n`);
  });

  it('answers 404 for an archive page past the newest, saying which is newest', async () => {
    const res = await get('/archive/9/feed.xml');
    expect(res.status).toBe(404);
    expect(res.body.toString()).toBe('archive page 9 does not exist yet; the newest is 2\n');
  });

  it.each(['/nope/feed.xml', '/feed.rss', '/voa/', '/archive/0/feed.xml'])('answers 404 for %s', async (path) => {
    expect((await get(path)).status).toBe(404);
  });

  it('answers 405 to other methods on a feed', async () => {
    const res = await request(`${server.url}/feed.xml`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
  });

  it('answers a CORS preflight', async () => {
    const res = await request(`${server.url}/feed.json`, { method: 'OPTIONS', headers: { Origin: 'https://reader.example', 'Access-Control-Request-Method': 'GET' } });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']).toBe('GET, HEAD');
  });

  it('leaves other paths to the Express app', async () => {
    expect((await get('/healthz')).body.toString()).toBe('ok\n');
    expect((await get('/missing')).body.toString()).toBe('not found: /missing\n');
  });
});

describe('parameters a document does not take', () => {
  it.each(['/feed.xml', '/voa/atom.xml', '/archive/1/feed.json', '/opml.xml', '/'])('are ignored on %s: the same bytes and ETag as without them', async (path) => {
    const plain = await get(path);
    for (const query of ['utm_source=newsletter&utm_medium=email&utm_campaign=x', 'fbclid=IwAR0abc', 'x=1&y']) {
      const tracked = await get(`${path}?${query}`);
      expect(tracked.status).toBe(200);
      expect(tracked.headers.etag).toBe(plain.headers.etag);
      expect(tracked.body.equals(plain.body)).toBe(true);
    }
  });

  it('stay out of self links, which keep the known ones as sent', async () => {
    const res = await get('/atom.xml?utm_source=reader&lang=zh-Hant&fbclid=1&limit=5');
    const self = parseAtomFeed(res.body.toString()).links?.find((l) => l.rel === 'self')?.href;
    expect(self).toBe(`${server.url}/atom.xml?lang=zh-Hant&limit=5`);
  });

  it('cannot fill the document cache or force renders: ?x=1, ?x=2, … are one document', async () => {
    await get('/rfi/feed.json');
    const before = publisher.cacheStats().documents;
    const first = await publisher.document(server.url, '/rfi/feed.json', 'x=0');
    for (let i = 1; i <= 300; i += 1) {
      expect((await get(`/rfi/feed.json?x=${i}`)).status).toBe(200);
      expect((await get(`/?utm_content=${i}`)).status).toBe(200);
    }
    expect(publisher.cacheStats().documents).toBeLessThanOrEqual(before + 1);
    expect(await publisher.document(server.url, '/rfi/feed.json', 'x=301')).toBe(first);
    // The hot path's lookup strips them too, so a tracked request is answered from the cache.
    expect(publisher.cached(server.url, '/rfi/feed.json', 'utm_source=x')).toBe(first);
  });
});

describe('self links', () => {
  const selfOf = async (s: RunningServer, path: string, headers: Record<string, string> = {}) => {
    const res = await request(`${s.url}${path}`, { headers });
    return {
      rss: parseRssFeed(res.body.toString()).atom?.links?.find((l) => l.rel === 'self')?.href,
      status: res.status,
    };
  };

  it('name the address and the query string the feed was fetched with', async () => {
    const res = await get('/atom.xml?lang=zh-Hant&limit=5');
    const self = parseAtomFeed(res.body.toString()).links?.find((l) => l.rel === 'self')?.href;
    expect(self).toBe(`${server.url}/atom.xml?lang=zh-Hant&limit=5`);
    const json = parseJsonFeed((await get('/voa/feed.json?q=%E7%BB%8F%E6%B5%8E')).body.toString());
    expect(json.feed_url).toBe(`${server.url}/voa/feed.json?q=%E7%BB%8F%E6%B5%8E`);
  });

  it('use --base-url when it is set, whatever the request says', async () => {
    const s = await startServer(publisher, { baseUrl: 'https://news.example.org/relay', trustProxy: true });
    try {
      const { rss } = await selfOf(s, '/voa/feed.xml?limit=2', { 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'http' });
      expect(rss).toBe('https://news.example.org/relay/voa/feed.xml?limit=2');
    } finally {
      await s.close();
    }
  });

  it('are the same whether the proxy strips the base URL\'s path or passes it on', async () => {
    const s = await startServer(publisher, { baseUrl: 'https://news.example.org/relay' });
    try {
      const stripped = await request(`${s.url}/atom.xml`);
      const passed = await request(`${s.url}/relay/atom.xml`);
      expect(passed.status).toBe(200);
      expect(passed.body.equals(stripped.body)).toBe(true);
      expect((await request(`${s.url}/relay`)).headers['content-type']).toBe('text/html; charset=utf-8');
    } finally {
      await s.close();
    }
  });

  it('follow X-Forwarded-Proto and X-Forwarded-Host behind a trusted proxy', async () => {
    const s = await startServer(publisher, { trustProxy: true });
    try {
      const { rss } = await selfOf(s, '/feed.xml', { 'X-Forwarded-Host': 'feeds.example.org, inner.local', 'X-Forwarded-Proto': 'https' });
      expect(rss).toBe('https://feeds.example.org/feed.xml');
    } finally {
      await s.close();
    }
  });

  it('ignore X-Forwarded-* unless the proxy is trusted', async () => {
    const { rss } = await selfOf(server, '/feed.xml', { 'X-Forwarded-Host': 'feeds.example.org', 'X-Forwarded-Proto': 'https' });
    expect(rss).toBe(`${server.url}/feed.xml`);
  });

  it('do not echo a Host header that is not a host name', async () => {
    const { rss } = await selfOf(server, '/feed.xml', { Host: 'a"b<c>' });
    expect(rss).toBe('http://localhost/feed.xml');
  });
});
