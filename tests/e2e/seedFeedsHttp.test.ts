import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../src/log.js';
import { createService, type Service } from '../../src/service.js';
import { SEEDS_DIR } from '../support/paths.js';
import { configFor } from '../support/seeds.js';
import { removeDir, tempDir } from '../support/tempDir.js';
import { listen, type RunningServer } from '../support/servers.js';

/** The seed feeds over HTTP: types, validators, conditional and HEAD requests, unknown paths. */

let dataDir: string;
let service: Service;
let app: RunningServer;

beforeAll(async () => {
  dataDir = await tempDir('http-data');
  service = await createService(configFor({ seeds: SEEDS_DIR, data: dataDir }), silentLog);
  await service.refresh();
  app = await listen(service, silentLog);
});
afterAll(async () => {
  await app?.close();
  await service?.close();
  await removeDir(dataDir);
});

const DOCUMENTS = [
  ['/feed.xml', 'application/rss+xml; charset=utf-8'],
  ['/atom.xml', 'application/atom+xml; charset=utf-8'],
  ['/feed.json', 'application/feed+json; charset=utf-8'],
  ['/voa/feed.xml', 'application/rss+xml; charset=utf-8'],
  ['/rfi/atom.xml', 'application/atom+xml; charset=utf-8'],
  ['/dw/feed.json', 'application/feed+json; charset=utf-8'],
] as const;

describe.each(DOCUMENTS)('GET %s', (path, contentType) => {
  it(`answers 200 with ${contentType}`, async () => {
    const res = await fetch(`${app.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(contentType);
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });

  it('carries a strong ETag and Last-Modified', async () => {
    const res = await fetch(`${app.url}${path}`);
    await res.arrayBuffer();
    expect(res.headers.get('etag')).toMatch(/^"[^"]+"$/);
    expect(Date.parse(res.headers.get('last-modified') ?? '')).not.toBeNaN();
  });

  it('answers 304 with no body to If-None-Match with its ETag', async () => {
    const first = await fetch(`${app.url}${path}`);
    await first.arrayBuffer();
    const etag = first.headers.get('etag')!;
    const again = await fetch(`${app.url}${path}`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
  });

  it('answers 200 to If-None-Match with another ETag', async () => {
    const res = await fetch(`${app.url}${path}`, { headers: { 'If-None-Match': '"not-this-one"' } });
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });

  it('answers HEAD with the GET headers and no body', async () => {
    // Same request headers for both, so a compressed GET is compared with a compressed HEAD.
    const get = await fetch(`${app.url}${path}`);
    await get.arrayBuffer();
    const head = await fetch(`${app.url}${path}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    for (const name of ['content-type', 'etag', 'last-modified', 'content-length', 'content-encoding']) {
      expect(head.headers.get(name), name).toBe(get.headers.get(name));
    }
    expect(head.headers.get('content-length')).toMatch(/^[1-9]\d*$/);
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });
});

describe('unknown paths', () => {
  it.each(['/nosuch/feed.xml', '/nosuch/atom.xml', '/nosuch/feed.json', '/feed.txt', '/voa/rss.xml', '/a/b/feed.xml'])(
    'answers 404 for %s',
    async (path) => {
      const res = await fetch(`${app.url}${path}`);
      await res.arrayBuffer();
      expect(res.status).toBe(404);
    },
  );
});
