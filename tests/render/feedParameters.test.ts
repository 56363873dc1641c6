import { parseRssFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../src/model.js';
import type { Store } from '../../src/store/store.js';
import { makeArticle, makePublisher, makeStore } from '../support/articles.js';
import { type RunningServer, startServer } from '../support/servers.js';
import { request } from '../support/http.js';

let store: Store;
let server: RunningServer;
const articles: Article[] = Array.from({ length: 120 }, (_, i) => makeArticle(i));
const newestFirst = [...articles].reverse();

beforeAll(async () => {
  store = await makeStore(120);
  server = await startServer(makePublisher(store));
});
afterAll(async () => {
  await server?.close();
  await store?.close();
});

async function ids(path: string): Promise<string[]> {
  const res = await request(`${server.url}${path}`);
  expect(res.status, path).toBe(200);
  return (parseRssFeed(res.body.toString()).items ?? []).map((i) => i.guid!.value!.replace('tag:feedrelay,2024:', ''));
}

describe('limit', () => {
  it('defaults to the newest 50', async () => {
    expect(await ids('/feed.xml')).toEqual(newestFirst.slice(0, 50).map((a) => a.id));
  });

  it('takes the newest n', async () => {
    expect(await ids('/feed.xml?limit=3')).toEqual(newestFirst.slice(0, 3).map((a) => a.id));
  });

  it('goes up to 500', async () => {
    expect(await ids('/feed.xml?limit=500')).toHaveLength(120);
  });
});

describe('q', () => {
  it('finds a keyword in titles', async () => {
    // Titles are "第N篇：经济与选举" (Simplified) or "第N篇：經濟與選舉" (Traditional).
    expect(await ids('/feed.xml?q=%E7%AC%AC7%E7%AF%87')).toEqual([makeArticle(7).id]); // 第7篇
  });

  it('finds a keyword in the text', async () => {
    expect(await ids('/feed.xml?q=%E7%BC%96%E5%8F%B7%20119')).toEqual([makeArticle(119).id]); // "编号 119"
  });

  it('looks through the whole archive, not just the newest 50', async () => {
    expect(await ids('/feed.xml?q=%E7%AC%AC1%E7%AF%87')).toEqual([makeArticle(1).id]); // 第1篇
  });

  it('returns an empty, valid feed when nothing matches', async () => {
    expect(await ids('/feed.xml?q=nothing-like-this')).toEqual([]);
  });
});

describe('lang', () => {
  it('keeps only articles in that script', async () => {
    const hant = newestFirst.filter((a) => a.language === 'zh-Hant');
    expect(await ids('/feed.xml?lang=zh-Hant&limit=500')).toEqual(hant.map((a) => a.id));
  });

  it('states the language of a filtered feed', async () => {
    const body = (await request(`${server.url}/feed.xml?lang=zh-Hant`)).body.toString();
    expect(parseRssFeed(body).language).toBe('zh-Hant');
  });
});

describe('parameters together, on any feed', () => {
  it('narrow an outlet feed by language and keyword, then limit', async () => {
    const expected = newestFirst.filter((a) => a.source === 'voa' && a.language === 'zh-Hans' && a.title.includes('经济')).slice(0, 4);
    expect(await ids('/voa/feed.xml?lang=zh-Hans&q=%E7%BB%8F%E6%B5%8E&limit=4')).toEqual(expected.map((a) => a.id));
  });

  it('name the filter in the feed title', async () => {
    const body = (await request(`${server.url}/feed.xml?q=%E7%BB%8F%E6%B5%8E&lang=zh-Hans`)).body.toString();
    expect(parseRssFeed(body).title).toContain('关键词「经济」');
  });
});

describe('filtered results cache', () => {
  it('stays within its bounds however many distinct filters are asked for', async () => {
    const local = await makeStore(30);
    const publisher = makePublisher(local, { cache: { entries: 8, bytes: 1 << 20 } });
    const s = await startServer(publisher);
    try {
      for (let i = 0; i < 40; i += 1) expect((await request(`${s.url}/feed.xml?q=${i}`)).status).toBe(200);
      expect(publisher.cacheStats().documents).toBe(8);
      expect(publisher.cacheStats().bytes).toBeLessThanOrEqual(1 << 20);
    } finally {
      await s.close();
      publisher.close();
      await local.close();
    }
  });

  it('serves a repeated filter from the cache: the same document object', async () => {
    const local = await makeStore(30);
    const publisher = makePublisher(local);
    try {
      const first = await publisher.document('http://x', '/feed.xml', 'q=1');
      expect(first).toBeDefined();
      expect(publisher.cached('http://x', '/feed.xml', 'q=1')).toBe(first);
      expect(await publisher.document('http://x', '/feed.xml', 'q=1')).toBe(first);
    } finally {
      publisher.close();
      await local.close();
    }
  });
});
