import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { silentLog } from '../../src/log.js';
import { createService, type Service } from '../../src/service.js';
import { MAX_PENDING_VERIFICATIONS, WebSubHub } from '../../src/websub/hub.js';
import { FEEDS_DIR } from '../support/paths.js';
import { copySeeds } from '../support/seeds.js';
import { listenLocal, serveApp, type RunningServer } from '../support/servers.js';
import { removeDir, tempDir } from '../support/tempDir.js';

/** A seed dropped into the folder after start: the change that makes the hub deliver. */
const ADDED = [
  '<!--1735693200000-->',
  '[订阅之后加入的文章](https://www.voachinese.com/a/websub-after-subscribe-20250101/7900001.html)',
  '------',
  '',
  '<div><i>Wed, 01 Jan 2025 00:30:00 GMT</i></div><p>订阅之后才放进种子目录的文章。</p>',
  '',
].join('\n');

interface Received {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A WebSub subscriber on 127.0.0.1: echoes challenges and answers deliveries with `deliveryStatus()`. */
class Subscriber {
  readonly received: Received[] = [];
  echo = true;
  /** Leaves verification requests unanswered. */
  hang = false;
  deliveryStatus: () => number = () => 200;
  private server!: RunningServer;
  base = '';

  async start(): Promise<void> {
    this.server = await listenLocal(createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', this.base);
        this.received.push({ method: req.method ?? '', url, headers: req.headers, body: Buffer.concat(chunks) });
        if (req.method === 'GET') {
          if (this.hang) return;
          res.writeHead(200, { 'Content-Type': 'text/plain' });
          res.end(this.echo ? (url.searchParams.get('hub.challenge') ?? '') : 'no');
          return;
        }
        res.writeHead(this.deliveryStatus());
        res.end();
      });
    }));
    this.base = this.server.url;
  }

  gets(mode: string): Received[] {
    return this.received.filter((r) => r.method === 'GET' && r.url.searchParams.get('hub.mode') === mode);
  }

  posts(): Received[] {
    return this.received.filter((r) => r.method === 'POST');
  }

  close(): Promise<void> {
    return this.server.close();
  }
}

let seeds: string;
let data: string;
let service: Service;
let hub: WebSubHub;
let server: RunningServer | undefined;
let base: string;
let subscriber: Subscriber;
let now: number;

async function startService(allowPrivate: boolean): Promise<void> {
  const flags = ['--seeds', seeds, '--data', data, '--feeds', FEEDS_DIR, ...(allowPrivate ? ['--websub-allow-private'] : [])];
  service = await createService(parseConfig(flags, {}), silentLog, { now: () => now });
  await service.refresh();
  // The service's own hub, with retries in milliseconds rather than minutes.
  hub = new WebSubHub({ store: service.store, publisher: service.publisher, log: silentLog, baseUrl: undefined, allowPrivate, now: () => now, retryDelaysMs: [20, 20] });
  hub.start();
  server = await serveApp({ publisher: service.publisher, log: silentLog, trustProxy: false, route: { baseUrl: undefined, maxAgeSeconds: 900 }, websub: hub });
  base = server.url;
}

async function stopService(): Promise<void> {
  await hub?.stop();
  await server?.close();
  await service?.close();
}

function hubRequest(fields: Record<string, string>): Promise<Response> {
  return fetch(`${base}/websub`, { method: 'POST', body: new URLSearchParams(fields) });
}

async function subscribe(topic: string, extra: Record<string, string> = {}): Promise<Response> {
  return hubRequest({ 'hub.mode': 'subscribe', 'hub.topic': topic, 'hub.callback': `${subscriber.base}/cb?user=1`, ...extra });
}

async function addArticle(): Promise<void> {
  await writeFile(join(seeds, '005_0123456789abcdef.txt'), ADDED);
  await service.refresh();
}

beforeEach(async () => {
  now = Date.UTC(2025, 0, 2);
  seeds = await tempDir('websub-seeds');
  data = await tempDir('websub-data');
  await copySeeds(seeds);
  subscriber = new Subscriber();
  await subscriber.start();
});
afterEach(async () => {
  await stopService();
  await subscriber.close();
  await removeDir(seeds);
  await removeDir(data);
});

describe('WebSub discovery', () => {
  beforeEach(() => startService(true));

  it('announces the hub and self in Link headers and in each format', async () => {
    for (const [path, hubMark] of [['/feed.xml', '<atom:link href="HUB" rel="hub"/>'], ['/atom.xml', '<link rel="hub" href="HUB"/>'], ['/feed.json', '"url": "HUB"']] as const) {
      const res = await fetch(`${base}${path}`);
      expect(res.headers.get('link')).toBe(`<${base}/websub>; rel="hub", <${base}${path}>; rel="self"`);
      expect(await res.text()).toContain(hubMark.replace('HUB', `${base}/websub`));
    }
  });
});

describe('WebSub hub, callbacks allowed on loopback', () => {
  beforeEach(() => startService(true));

  it('verifies intent, delivers a signed change, then unsubscribes', async () => {
    const topic = `${base}/voa/feed.json?limit=5`;
    const res = await subscribe(topic, { 'hub.secret': 'geheim', 'hub.lease_seconds': '3600' });
    expect(res.status).toBe(202);
    await hub.idle();
    const [check] = subscriber.gets('subscribe');
    expect(check?.url.searchParams.get('hub.topic')).toBe(topic);
    expect(check?.url.searchParams.get('hub.lease_seconds')).toBe('3600');
    expect(check?.url.searchParams.get('hub.challenge')).toMatch(/^[\w-]{20,}$/);
    expect(check?.url.searchParams.get('user')).toBe('1');
    expect(await service.store.subscriptions()).toMatchObject([{ topic, secret: 'geheim', leaseSeconds: 3600, expires: now + 3_600_000 }]);
    expect(subscriber.posts()).toEqual([]);

    await addArticle();
    await expect.poll(() => subscriber.posts().length).toBe(1);
    const delivery = subscriber.posts()[0]!;
    const expected = await fetch(topic, { headers: { 'Accept-Encoding': 'identity' } });
    expect(delivery.body.toString('utf8')).toBe(await expected.text());
    expect(delivery.body.toString('utf8')).toContain('订阅之后加入的文章');
    expect(delivery.headers['content-type']).toBe('application/feed+json; charset=utf-8');
    expect(delivery.headers.link).toBe(`<${base}/websub>; rel="hub", <${topic}>; rel="self"`);
    expect(delivery.headers['x-hub-signature']).toBe(`sha256=${createHmac('sha256', 'geheim').update(delivery.body).digest('hex')}`);
    await expect.poll(async () => (await service.store.subscriptions())[0]?.deliveredEtag).toBe(expected.headers.get('etag'));

    expect((await hubRequest({ 'hub.mode': 'unsubscribe', 'hub.topic': topic, 'hub.callback': `${subscriber.base}/cb?user=1` })).status).toBe(202);
    await hub.idle();
    expect(subscriber.gets('unsubscribe')).toHaveLength(1);
    expect(await service.store.subscriptions()).toEqual([]);
  });

  it('stores nothing when the callback does not echo the challenge', async () => {
    subscriber.echo = false;
    expect((await subscribe(`${base}/feed.xml`)).status).toBe(202);
    await hub.idle();
    expect(subscriber.gets('subscribe')).toHaveLength(1);
    expect(await service.store.subscriptions()).toEqual([]);
  });

  it('does not deliver a change that leaves the topic\'s bytes alone', async () => {
    await subscribe(`${base}/rfi/feed.xml`);
    await hub.idle();
    await addArticle(); // a VOA article: RFI's feed is unchanged
    await hub.distribute();
    await hub.idle();
    expect(subscriber.posts()).toEqual([]);
  });

  it('drops a subscription whose lease has ended, without delivering', async () => {
    await subscribe(`${base}/feed.xml`, { 'hub.lease_seconds': '60' });
    await hub.idle();
    expect(await service.store.subscriptions()).toHaveLength(1);
    now += 61_000;
    await addArticle();
    await hub.distribute();
    await hub.idle();
    expect(await service.store.subscriptions()).toEqual([]);
    expect(subscriber.posts()).toEqual([]);
  });

  it('retries a failing callback until it takes the delivery', async () => {
    let calls = 0;
    subscriber.deliveryStatus = () => (++calls === 1 ? 503 : 204);
    await subscribe(`${base}/feed.xml`);
    await hub.idle();
    await addArticle();
    await expect.poll(() => subscriber.posts().length).toBe(2);
    await expect.poll(async () => (await service.store.subscriptions())[0]?.deliveredEtag).toBe((await fetch(`${base}/feed.xml`, { headers: { 'Accept-Encoding': 'identity' } })).headers.get('etag'));
  });

  it('gives up after the bounded retries', async () => {
    subscriber.deliveryStatus = () => 500;
    await subscribe(`${base}/feed.xml`);
    await hub.idle();
    await addArticle();
    await expect.poll(() => subscriber.posts().length).toBe(3);
    await new Promise((r) => setTimeout(r, 100));
    expect(subscriber.posts()).toHaveLength(3);
  });

  it('delivers nothing in a replica that does not hold the refresh lease', async () => {
    await subscribe(`${base}/feed.xml`);
    await hub.idle();
    await hub.stop();
    const follower = Object.assign(Object.create(service.store) as typeof service.store, { lead: () => Promise.resolve(false) });
    hub = new WebSubHub({ store: follower, publisher: service.publisher, log: silentLog, baseUrl: undefined, allowPrivate: true, now: () => now });
    hub.start();
    await addArticle();
    await hub.distribute();
    await hub.idle();
    expect(subscriber.posts()).toEqual([]);
  });

  it('denies a topic this server does not publish, telling the callback why', async () => {
    for (const topic of ['https://example.org/feed.xml', `${base}/nosuch/feed.xml`, `${base}/feed.xml?limit=abc`, `${base}/opml.xml`]) {
      expect((await subscribe(topic)).status).toBe(202);
    }
    await hub.idle();
    const denials = subscriber.gets('denied');
    expect(denials).toHaveLength(4);
    expect(denials[0]?.url.searchParams.get('hub.reason')).toMatch(/not a feed this server publishes/);
    expect(subscriber.gets('subscribe')).toEqual([]);
    expect(await service.store.subscriptions()).toEqual([]);
  });

  it('answers 429 while as many verifications as it takes are under way', async () => {
    subscriber.hang = true;
    const statuses: number[] = [];
    for (let i = 0; i <= MAX_PENDING_VERIFICATIONS; i++) statuses.push((await subscribe(`${base}/feed.xml?limit=${i + 1}`)).status);
    expect(statuses.slice(0, -1).every((s) => s === 202)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it('answers 400 naming a bad parameter', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ 'hub.mode': 'publish', 'hub.topic': 't', 'hub.callback': 'http://a/' }, /^hub\.mode/],
      [{ 'hub.mode': 'subscribe', 'hub.topic': `${base}/feed.xml`, 'hub.callback': 'ftp://a/' }, /^hub\.callback: must be http/],
      [{ 'hub.mode': 'subscribe', 'hub.topic': `${base}/feed.xml`, 'hub.callback': `${subscriber.base}/`, 'hub.secret': 'x'.repeat(200) }, /^hub\.secret/],
      [{ 'hub.mode': 'subscribe', 'hub.topic': `${base}/feed.xml`, 'hub.callback': `${subscriber.base}/`, 'hub.lease_seconds': '-1' }, /^hub\.lease_seconds/],
    ];
    for (const [fields, message] of cases) {
      const res = await hubRequest(fields);
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(message);
    }
    expect(subscriber.received).toEqual([]);
  });

  it('keeps subscriptions across a restart', async () => {
    await subscribe(`${base}/feed.xml`, { 'hub.secret': 's' });
    await hub.idle();
    const before = await service.store.subscriptions();
    expect(before).toHaveLength(1);
    await stopService();
    await startService(true);
    expect(await service.store.subscriptions()).toEqual(before);
  });
});

describe('WebSub hub, default safety', () => {
  beforeEach(() => startService(false));

  it('refuses loopback and private callbacks before any connection', async () => {
    for (const callback of [`${subscriber.base}/cb`, 'http://10.0.0.1/cb', 'http://[::1]/cb', 'http://169.254.169.254/', 'http://[::ffff:127.0.0.1]/', 'http://0.0.0.0/']) {
      const res = await hubRequest({ 'hub.mode': 'subscribe', 'hub.topic': `${base}/feed.xml`, 'hub.callback': callback });
      expect(res.status, callback).toBe(400);
      expect(await res.text()).toMatch(/hub\.callback: .* resolves to .*private/);
    }
    await hub.idle();
    expect(subscriber.received).toEqual([]);
    expect(await service.store.subscriptions()).toEqual([]);
  });
});
