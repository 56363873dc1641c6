import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, fileForPath } from '../../src/build.js';
import { parseConfig } from '../../src/config.js';
import { silentLog } from '../../src/log.js';
import type { FeedPublisher } from '../../src/render/publisher.js';
import { createService } from '../../src/service.js';
import type { Store } from '../../src/store/store.js';
import { makeArticle, makePublisher, makeStore, REPO, request, startServer, type TestServer } from './support.js';
import { CLI } from '../support/compiled.js';

const BASE = 'https://feeds.example.org/relay';

describe('static build', () => {
  let out: string;
  let store: Store;
  let publisher: FeedPublisher;
  let server: TestServer;
  let paths: string[];

  beforeAll(async () => {
    store = await makeStore(120);
    publisher = makePublisher(store);
    out = await mkdtemp(join(tmpdir(), 'feedrelay-build-'));
    paths = (await buildSite(publisher, out, BASE)).map((f) => f.path);
    server = await startServer(publisher, { baseUrl: BASE });
  });
  afterAll(async () => {
    await server?.close();
    publisher?.close();
    await store?.close();
  });

  it('writes the index page, OPML, the listed articles\' pages, and every feed with all its archive pages', () => {
    expect(paths).toContain('/');
    expect(paths).toContain('/opml.xml');
    expect(paths.filter((p) => p.startsWith('/articles/'))).toEqual(Array.from({ length: 50 }, (_, i) => `/articles/${makeArticle(119 - i).id}.html`));
    for (const dir of ['', '/voa', '/rfi', '/dw']) {
      for (const file of ['feed.xml', 'atom.xml', 'feed.json']) expect(paths).toContain(`${dir}/${file}`);
    }
    for (const n of [1, 2, 3]) expect(paths).toContain(`/archive/${n}/atom.xml`);
    expect(paths).toContain('/voa/archive/1/feed.json');
    expect(paths).toHaveLength(2 + 50 + 4 * 3 + (3 + 1 + 1 + 1) * 3);
  });

  it('writes each file with the bytes the server answers under the same base URL, the index page aside', async () => {
    for (const path of paths.filter((p) => p !== '/')) {
      const file = await readFile(fileForPath(out, path));
      const served = await request(`${server.url}${path}`);
      expect(file.equals(served.body), path).toBe(true);
    }
    expect(fileForPath(out, '/')).toBe(join(out, 'index.html'));
  });

  it('writes an index page that promises nothing a static host cannot serve', async () => {
    const html = await readFile(fileForPath(out, '/'), 'utf8');
    expect(html).not.toMatch(/<form/);
    expect(html).not.toMatch(/<code>limit<\/code>|\?source=|\?lang=|\?q=/);
    // every link of ours names a file the build wrote, with no query string
    const ours = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&')).filter((href) => href.startsWith(BASE));
    expect(ours.length).toBeGreaterThan(60);
    const written = new Set(paths.map((p) => `${BASE}${p}`));
    for (const href of ours) expect(written.has(href) || href === `${BASE}/`, href).toBe(true);
    // the server's own index page still offers the filters and the search
    expect((await request(`${server.url}/`)).body.toString()).toMatch(/<form class="search"/);
  });

  it('gives each file the document\'s Last-Modified as its mtime', async () => {
    const served = await request(`${server.url}/atom.xml`);
    const { mtimeMs } = await stat(fileForPath(out, '/atom.xml'));
    expect(new Date(mtimeMs).toUTCString()).toBe(served.headers['last-modified']);
  });
});

describe('npm run build', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [CLI, 'build', ...args], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    });

  it('builds the seed archive into --out, the same bytes as the service renders', async () => {
    const out = await mkdtemp(join(tmpdir(), 'feedrelay-cli-build-'));
    const data = await mkdtemp(join(tmpdir(), 'feedrelay-cli-data-'));
    const r = cli(['--out', out, '--data', data, '--base-url', 'https://relay.example']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const config = parseConfig(['--data', data, '--base-url', 'https://relay.example'], {});
    // A static site has no /websub: build announces no built-in hub, so neither does this service.
    const service = await createService(config, silentLog, { builtInHub: false });
    try {
      await service.refresh();
      for (const path of ['/', '/feed.xml', '/voa/atom.xml', '/archive/1/feed.json', '/opml.xml', '/articles/19ed2a19392a531b.html']) {
        const expected = (await service.publisher.document('https://relay.example', path, '', { static: true }))!.body;
        expect((await readFile(fileForPath(out, path))).equals(expected), path).toBe(true);
      }
    } finally {
      await service.close();
    }
    expect((await readFile(join(out, 'feed.xml'), 'utf8'))).toContain('<atom:link href="https://relay.example/feed.xml" rel="self"');
  }, 90_000);

  it('refuses to build without a base URL, saying which option is missing', async () => {
    const out = await mkdtemp(join(tmpdir(), 'feedrelay-cli-build-'));
    const r = cli(['--out', out], { FEEDRELAY_BASE_URL: '' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--base-url \(FEEDRELAY_BASE_URL\) is required/);
  }, 90_000);
});
