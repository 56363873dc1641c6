import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_PAGE_SIZE } from '../../src/render/archive.js';
import type { Store } from '../../src/store/store.js';
import { makeArticle, makePublisher, makeStore, START, storeOf } from '../support/articles.js';
import { type RunningServer, startServer } from '../support/servers.js';
import { request } from '../support/http.js';

const ORIGIN = 'https://feeds.example.org';
const TAG = 'tag:feedrelay,2024:';

interface Page {
  ids: string[];
  links: Map<string, string>;
  archive: boolean;
}

function readAtom(body: string): Page {
  const feed = parseAtomFeed(body);
  return {
    ids: (feed.entries ?? []).map((e) => e.id!.slice(TAG.length)),
    links: new Map((feed.links ?? []).map((l) => [l.rel!, l.href!])),
    archive: body.includes('<fh:archive/>'),
  };
}

function readRss(body: string): Page {
  const feed = parseRssFeed(body);
  return {
    ids: (feed.items ?? []).map((i) => i.guid!.value!.slice(TAG.length)),
    links: new Map((feed.atom?.links ?? []).map((l) => [l.rel!, l.href!])),
    archive: body.includes('<fh:archive/>'),
  };
}

function readJson(body: string): Page {
  const feed = parseJsonFeed(body);
  const links = new Map<string, string>();
  if (feed.next_url) links.set('prev-archive', feed.next_url);
  return { ids: (feed.items ?? []).map((i) => i.id!.slice(TAG.length)), links, archive: false };
}

/** Follows prev-archive (next_url in JSON Feed) from the subscription document to the oldest page. */
async function walk(base: string, path: string, read: (body: string) => Page): Promise<{ ids: string[]; pages: string[] }> {
  const ids: string[] = [];
  const pages: string[] = [];
  let url: string | undefined = `${base}${path}`;
  while (url) {
    expect(pages.length, 'the walk ends').toBeLessThan(20);
    const res = await request(url);
    expect(res.status, url).toBe(200);
    const page = read(res.body.toString());
    ids.push(...page.ids);
    pages.push(url);
    url = page.links.get('prev-archive');
  }
  return { ids, pages };
}

describe('walking back the whole archive', () => {
  let store: Store;
  let server: RunningServer;
  const all = Array.from({ length: 120 }, (_, i) => makeArticle(i).id);

  beforeAll(async () => {
    store = await makeStore(120);
    server = await startServer(makePublisher(store));
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
  });

  it.each([
    ['RSS', '/feed.xml', readRss],
    ['Atom', '/atom.xml', readAtom],
    ['JSON Feed', '/feed.json', readJson],
  ] as const)('reaches every one of 120 articles through %s', async (_name, path, read) => {
    const { ids, pages } = await walk(server.url, path, read);
    expect(new Set(ids)).toEqual(new Set(all));
    expect(pages.slice(1)).toEqual([3, 2, 1].map((n) => `${server.url}/archive/${n}${path}`));
  });

  it('reaches every article of one outlet through its own pages', async () => {
    const { ids } = await walk(server.url, '/voa/atom.xml', readAtom);
    const voa = Array.from({ length: 120 }, (_, i) => makeArticle(i)).filter((a) => a.source === 'voa').map((a) => a.id);
    expect(new Set(ids)).toEqual(new Set(voa));
  });

  it('keeps the filter on every page of a filtered walk', async () => {
    const { ids, pages } = await walk(server.url, '/atom.xml?lang=zh-Hant', readAtom);
    const hant = Array.from({ length: 120 }, (_, i) => makeArticle(i)).filter((a) => a.language === 'zh-Hant').map((a) => a.id);
    expect(new Set(ids)).toEqual(new Set(hant));
    for (const page of pages.slice(1)) expect(page).toMatch(/\?lang=zh-Hant$/);
  });

  it('links complete pages both ways and marks them as archives', async () => {
    const pages = await Promise.all([1, 2, 3].map(async (n) => readAtom((await request(`${server.url}/archive/${n}/atom.xml`)).body.toString())));
    const [p1, p2, p3] = pages as [Page, Page, Page];
    expect(p1.ids).toHaveLength(ARCHIVE_PAGE_SIZE);
    expect(p2.ids).toHaveLength(ARCHIVE_PAGE_SIZE);
    expect(p3.ids).toHaveLength(20);
    expect([p1.archive, p2.archive, p3.archive]).toEqual([true, true, false]);
    expect(p1.links.get('prev-archive')).toBeUndefined();
    expect(p1.links.get('next-archive')).toBe(`${server.url}/archive/2/atom.xml`);
    expect(p2.links.get('prev-archive')).toBe(`${server.url}/archive/1/atom.xml`);
    expect(p2.links.get('next-archive')).toBe(`${server.url}/archive/3/atom.xml`);
    expect(p3.links.get('next-archive')).toBeUndefined();
    for (const p of pages) expect(p.links.get('current')).toBe(`${server.url}/atom.xml`);
  });

  it('numbers pages from the oldest arrival, newest first within a page', async () => {
    const p1 = readRss((await request(`${server.url}/archive/1/feed.xml`)).body.toString());
    expect(p1.ids).toEqual(Array.from({ length: 50 }, (_, i) => makeArticle(49 - i).id));
  });
});

describe('stable archive pages', () => {
  let store: Store;
  /** A fresh publisher each time, so nothing comes from a cache: the document as rendered now. */
  const render = async (path: string) => {
    const [file, query = ''] = path.split('?');
    const publisher = makePublisher(store);
    try {
      return (await publisher.document(ORIGIN, file!, query))!;
    } finally {
      publisher.close();
    }
  };
  const add = async (...articles: ReturnType<typeof makeArticle>[]) => {
    for (const r of await store.insertMany(articles)) expect(r.result).toBe('added');
  };

  beforeAll(async () => {
    store = await makeStore(120);
  });
  afterAll(() => store?.close());

  it('keep their bytes and ETag while articles arrive, and the open page fills up', async () => {
    // zh-Hans is 90 of the first 120: its page 1 is complete too.
    const paths = ['/archive/1/feed.xml', '/archive/2/atom.xml', '/archive/2/feed.json', '/archive/1/atom.xml?lang=zh-Hans'];
    const before = await Promise.all(paths.map((p) => render(p)));
    const openBefore = await render('/archive/3/atom.xml');
    await add(...Array.from({ length: 30 }, (_, k) => makeArticle(120 + k)));
    const after = await Promise.all(paths.map((p) => render(p)));
    for (const [i, doc] of after.entries()) {
      expect(doc.body.equals(before[i]!.body), paths[i]).toBe(true);
      expect(doc.etag).toBe(before[i]!.etag);
    }
    expect((await render('/archive/3/atom.xml')).etag).not.toBe(openBefore.etag);
  });

  it('once full, keep their bytes too, having linked the next page from the start', async () => {
    const full = await render('/archive/3/atom.xml');
    expect(readAtom(full.body.toString()).ids).toHaveLength(50);
    expect(readAtom(full.body.toString()).links.get('next-archive')).toBe(`${ORIGIN}/archive/4/atom.xml`);
    expect(readAtom((await render('/archive/4/atom.xml')).body.toString()).ids).toHaveLength(0);
    expect(readAtom((await render('/atom.xml')).body.toString()).links.get('prev-archive')).toBe(`${ORIGIN}/archive/3/atom.xml`);
    await add(makeArticle(150));
    expect((await render('/archive/3/atom.xml')).body.equals(full.body)).toBe(true);
    expect(readAtom((await render('/atom.xml')).body.toString()).links.get('prev-archive')).toBe(`${ORIGIN}/archive/4/atom.xml`);
  });

  it('put a late article with old dates on the newest page, not back in history', async () => {
    // Pages are cut by arrival (storing order): dates, the archived time included, do not matter.
    const first = await render('/archive/1/atom.xml');
    const late = makeArticle(151, { published: START - 86_400_000, archived: START - 86_400_000 + 60_000, modified: START - 86_400_000 + 60_000 });
    await add(late);
    expect((await render('/archive/1/atom.xml')).body.equals(first.body)).toBe(true);
    expect(readAtom((await render('/archive/4/atom.xml')).body.toString()).ids).toEqual([late.id, makeArticle(150).id]);
  });
});

describe('arrival order', () => {
  it('cuts pages in the order articles were stored, whatever their archived times', async () => {
    // Stored newest-archived first: the first 50 stored are page 1, though archived last.
    const articles = Array.from({ length: 60 }, (_, i) => makeArticle(59 - i));
    const store = await storeOf(articles);
    const publisher = makePublisher(store);
    try {
      const page = async (n: number) => readAtom((await publisher.document(ORIGIN, `/archive/${n}/atom.xml`, ''))!.body.toString());
      const [p1, p2] = [await page(1), await page(2)];
      // Newest arrival first within a page.
      expect(p1.ids).toEqual(articles.slice(0, 50).reverse().map((a) => a.id));
      expect(p2.ids).toEqual(articles.slice(50).reverse().map((a) => a.id));
      expect(p1.archive).toBe(true);
    } finally {
      publisher.close();
      await store.close();
    }
  });
});

describe('an empty archive', () => {
  it('has one empty page and no history link', async () => {
    const store = await makeStore(0);
    const publisher = makePublisher(store);
    try {
      const sub = readAtom((await publisher.document(ORIGIN, '/atom.xml', ''))!.body.toString());
      expect(sub.ids).toEqual([]);
      expect(sub.links.get('prev-archive')).toBeUndefined();
      expect(readAtom((await publisher.document(ORIGIN, '/archive/1/atom.xml', ''))!.body.toString()).archive).toBe(false);
    } finally {
      publisher.close();
      await store.close();
    }
  });
});
