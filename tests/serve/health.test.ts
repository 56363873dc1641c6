import { afterEach, describe, expect, it } from 'vitest';
import { silentLog } from '../../src/log.js';
import { Metrics } from '../../src/metrics.js';
import { FeedPublisher } from '../../src/render/publisher.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { SourceRegistry } from '../../src/sources/registry.js';
import { article } from '../support/storeContract.js';
import { serveApp, type RunningServer } from '../support/servers.js';

/** /readyz and /metrics (issue #10): what a load balancer and Prometheus read. */

let server: RunningServer | undefined;
let store: SqliteStore | undefined;
afterEach(async () => {
  await server?.close();
  await store?.close();
});

async function serve(ready: () => boolean): Promise<{ url: string; metrics: Metrics }> {
  store = SqliteStore.open(':memory:');
  await store.insertMany([article(1), article(2)]);
  const s = store;
  const metrics = new Metrics(() => s.count({}));
  const deps = {
    publisher: new FeedPublisher(store, new SourceRegistry([]), { ttlMinutes: 15 }),
    log: silentLog,
    trustProxy: false,
    route: { baseUrl: undefined, maxAgeSeconds: 900 },
    ready,
    metrics,
  };
  server = await serveApp(deps);
  return { url: server.url, metrics };
}

describe('/readyz', () => {
  it('answers 503 until the first load is done, then 200', async () => {
    let ready = false;
    const { url } = await serve(() => ready);
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    ready = true;
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('/metrics', () => {
  it('counts requests by route and status, and reports the articles stored', async () => {
    const { url } = await serve(() => true);
    const first = await fetch(`${url}/feed.xml`);
    await fetch(`${url}/feed.xml`, { headers: { 'If-None-Match': first.headers.get('etag')! } });
    await fetch(`${url}/archive/9/feed.xml`);
    await fetch(`${url}/healthz`);
    const res = await fetch(`${url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('feedrelay_http_requests_total{route="feed",status="200"} 1');
    expect(text).toContain('feedrelay_http_requests_total{route="feed",status="304"} 1');
    expect(text).toContain('feedrelay_http_requests_total{route="document",status="404"} 1');
    expect(text).toContain('feedrelay_http_requests_total{route="/healthz",status="200"} 1');
    expect(text).toMatch(/^feedrelay_articles 2$/m);
    expect(text).toContain('# TYPE feedrelay_refresh_duration_seconds histogram');
  });

  it('counts a document\'s 405 answers and CORS preflights under its route', async () => {
    const { url } = await serve(() => true);
    await fetch(`${url}/feed.xml`, { method: 'POST' });
    await fetch(`${url}/feed.xml`, { method: 'OPTIONS' });
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toContain('feedrelay_http_requests_total{route="feed",status="405"} 1');
    expect(text).toContain('feedrelay_http_requests_total{route="feed",status="204"} 1');
  });
});
