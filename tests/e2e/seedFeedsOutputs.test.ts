import { readdir } from 'node:fs/promises';
import { XMLValidator } from 'fast-xml-parser';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLog } from '../../src/log.js';
import { createService, type Service } from '../../src/service.js';
import { FEEDS_DIR, SEEDS_DIR } from '../support/paths.js';
import { articleFixture, type ArticleFixture, configFor, NEWEST_FIRST, SEED_FILES } from '../support/seeds.js';
import { removeDir, tempDir } from '../support/tempDir.js';
import { listen, type RunningServer } from '../support/servers.js';

/** What we publish, read back by independent parsers: feedsmith for content, fast-xml-parser for well-formedness. */

const BASE_URL = 'https://feeds.example.org';
const GUID_PREFIX = 'tag:feedrelay,2024:';

interface Fetched {
  body: string;
  etag: string | null;
}

let dataDir: string;
let service: Service;
let app: RunningServer;
const docs: Record<'rss' | 'atom' | 'json', Fetched> = {} as never;
const fixtures = new Map<string, ArticleFixture>();

async function get(running: RunningServer, path: string): Promise<Fetched> {
  const res = await fetch(`${running.url}${path}`);
  expect(res.status, path).toBe(200);
  return { body: await res.text(), etag: res.headers.get('etag') };
}

async function startService(): Promise<{ service: Service; app: RunningServer }> {
  const s = await createService(configFor({ seeds: SEEDS_DIR, data: dataDir }), silentLog);
  await s.refresh();
  return { service: s, app: await listen(s, silentLog, { baseUrl: BASE_URL }) };
}

beforeAll(async () => {
  dataDir = await tempDir('outputs-data');
  ({ service, app } = await startService());
  docs.rss = await get(app, '/feed.xml');
  docs.atom = await get(app, '/atom.xml');
  docs.json = await get(app, '/feed.json');
  for (const seed of SEED_FILES) fixtures.set(seed, await articleFixture(seed));
});
afterAll(async () => {
  await app?.close();
  await service?.close();
  await removeDir(dataDir);
});

function outletTitle(source: string): string {
  return service.sources.describe(source).title;
}

/** Times as RSS carries them: RFC 822 has whole seconds. */
function wholeSeconds(iso: string): number {
  const t = Date.parse(iso);
  return t - (t % 1000);
}

describe('RSS 2.0 (/feed.xml)', () => {
  it('is well-formed XML', () => {
    expect(XMLValidator.validate(docs.rss.body)).toBe(true);
  });

  it('lists the five seeds newest first', () => {
    const items = parseRssFeed(docs.rss.body).items ?? [];
    expect(items.map((i) => i.guid?.value)).toEqual(NEWEST_FIRST.map((id) => `${GUID_PREFIX}${id}`));
  });

  it('links to itself at the configured base URL', () => {
    const feed = parseRssFeed(docs.rss.body);
    expect(feed.atom?.links).toContainEqual(expect.objectContaining({ rel: 'self', href: `${BASE_URL}/feed.xml` }));
  });

  describe.each(SEED_FILES)('the item for seed %s', (seed) => {
    function item() {
      const { expected } = fixtures.get(seed)!;
      const found = (parseRssFeed(docs.rss.body).items ?? []).find((i) => i.guid?.value === `${GUID_PREFIX}${expected.id}`);
      expect(found).toBeDefined();
      return { item: found!, ...fixtures.get(seed)! };
    }

    it('has its title, link and a non-permalink guid from its id', () => {
      const { item: i, expected } = item();
      expect(i.title).toBe(expected.title);
      expect(i.link).toBe(expected.url);
      expect(i.guid).toEqual({ value: `${GUID_PREFIX}${expected.id}`, isPermaLink: false });
    });

    it('has its pubDate in GMT', () => {
      const { item: i, expected } = item();
      expect(i.pubDate).toMatch(/ GMT$/);
      expect(Date.parse(String(i.pubDate))).toBe(wholeSeconds(expected.published));
    });

    it('has the summary as description and the cleaned HTML as content:encoded', () => {
      const { item: i, expected, contentHtml } = item();
      expect(i.description?.startsWith(expected.summaryBegins)).toBe(true);
      expect(i.content?.encoded).toBe(contentHtml);
    });

    it('has the lead image as an enclosure', () => {
      const { item: i, expected } = item();
      expect(i.enclosures).toEqual([expect.objectContaining({ url: expected.image!.url, type: 'image/jpeg' })]);
    });

    it('has the outlet as category and creator', () => {
      const { item: i, expected } = item();
      expect(i.categories?.map((c) => c.name)).toContain(expected.sourceName);
      expect(i.dc?.creators).toContain(outletTitle(expected.source));
    });
  });
});

describe('Atom 1.0 (/atom.xml)', () => {
  it('is well-formed XML', () => {
    expect(XMLValidator.validate(docs.atom.body)).toBe(true);
  });

  it('lists the five seeds newest first', () => {
    const entries = parseAtomFeed(docs.atom.body).entries ?? [];
    expect(entries.map((e) => e.id)).toEqual(NEWEST_FIRST.map((id) => `${GUID_PREFIX}${id}`));
  });

  it('has a feed id and a self link', () => {
    const feed = parseAtomFeed(docs.atom.body);
    expect(feed.id).toMatch(/^tag:feedrelay,2024:/);
    expect(feed.links).toContainEqual(expect.objectContaining({ rel: 'self', href: `${BASE_URL}/atom.xml` }));
  });

  describe.each(SEED_FILES)('the entry for seed %s', (seed) => {
    function entry() {
      const { expected } = fixtures.get(seed)!;
      const found = (parseAtomFeed(docs.atom.body).entries ?? []).find((e) => e.id === `${GUID_PREFIX}${expected.id}`);
      expect(found).toBeDefined();
      return { entry: found!, ...fixtures.get(seed)! };
    }

    it('has its title and an alternate link to the article', () => {
      const { entry: e, expected } = entry();
      expect(e.title).toEqual(expect.objectContaining({ value: expected.title }));
      expect(e.links).toContainEqual(expect.objectContaining({ rel: 'alternate', href: expected.url }));
    });

    it('has published and updated in UTC', () => {
      const { entry: e, expected } = entry();
      expect(e.published).toBe(expected.published);
      expect(e.updated).toBe(expected.modified);
    });

    it('carries its own xml:lang', () => {
      const { entry: e, expected } = entry();
      expect(e.xml?.lang).toBe(expected.language);
    });

    it('has the cleaned HTML as content of type html', () => {
      const { entry: e, contentHtml } = entry();
      expect(e.content).toEqual({ value: contentHtml, type: 'html' });
    });

    it('has the lead image as an enclosure link', () => {
      const { entry: e, expected } = entry();
      expect(e.links).toContainEqual(expect.objectContaining({ rel: 'enclosure', href: expected.image!.url }));
    });

    it('has the outlet as author and category', () => {
      const { entry: e, expected } = entry();
      expect(e.authors?.map((a) => a.name)).toEqual([outletTitle(expected.source)]);
      expect(e.categories).toContainEqual(expect.objectContaining({ label: expected.sourceName }));
    });
  });
});

describe('JSON Feed 1.1 (/feed.json)', () => {
  it('declares version 1.1', () => {
    expect(JSON.parse(docs.json.body).version).toBe('https://jsonfeed.org/version/1.1');
  });

  it('lists the five seeds newest first', () => {
    const items = parseJsonFeed(docs.json.body).items ?? [];
    expect(items.map((i) => i.id)).toEqual(NEWEST_FIRST.map((id) => `${GUID_PREFIX}${id}`));
  });

  it('gives its own address as feed_url', () => {
    expect(parseJsonFeed(docs.json.body).feed_url).toBe(`${BASE_URL}/feed.json`);
  });

  describe.each(SEED_FILES)('the item for seed %s', (seed) => {
    function item() {
      const { expected } = fixtures.get(seed)!;
      const found = (parseJsonFeed(docs.json.body).items ?? []).find((i) => i.id === `${GUID_PREFIX}${expected.id}`);
      expect(found).toBeDefined();
      return { item: found!, ...fixtures.get(seed)! };
    }

    it('has its url, title, summary and content_html', () => {
      const { item: i, expected, contentHtml } = item();
      expect(i.url).toBe(expected.url);
      expect(i.title).toBe(expected.title);
      expect(i.summary?.startsWith(expected.summaryBegins)).toBe(true);
      expect(i.content_html).toBe(contentHtml);
    });

    it('has its image, language and dates in UTC', () => {
      const { item: i, expected } = item();
      expect(i.image).toBe(expected.image!.url);
      expect(i.language).toBe(expected.language);
      expect(i.date_published).toBe(expected.published);
      expect(i.date_modified).toBe(expected.modified);
    });

    it('has the outlet as author and tag', () => {
      const { item: i, expected } = item();
      expect(i.authors?.map((a) => a.name)).toEqual([outletTitle(expected.source)]);
      expect(i.tags).toContain(expected.sourceName);
    });
  });
});

describe('one feed per outlet', () => {
  it('is served for every source definition in feeds/', async () => {
    const ids = (await readdir(FEEDS_DIR)).filter((n) => n.endsWith('.json')).map((n) => n.replace(/\.json$/, ''));
    expect(ids.sort()).toEqual(['dw', 'rfi', 'voa']);
    for (const id of ids) {
      for (const file of ['feed.xml', 'atom.xml', 'feed.json']) await get(app, `/${id}/${file}`);
    }
  });

  it.each([
    ['voa', ['19ed2a19392a531b', '928a0529e87cd9d7']],
    ['rfi', ['6cbfbc67556956b9']],
    ['dw', ['26a5a58398092db1', '9eeed609b1b25c46']],
  ])('/%s/ holds only that outlet, newest first', async (id, expectedIds) => {
    const rss = parseRssFeed((await get(app, `/${id}/feed.xml`)).body).items ?? [];
    const atom = parseAtomFeed((await get(app, `/${id}/atom.xml`)).body).entries ?? [];
    const json = parseJsonFeed((await get(app, `/${id}/feed.json`)).body).items ?? [];
    const tags = (ids: string[]): string[] => ids.map((x) => `${GUID_PREFIX}${x}`);
    expect(rss.map((i) => i.guid?.value)).toEqual(tags(expectedIds));
    expect(atom.map((e) => e.id)).toEqual(tags(expectedIds));
    expect(json.map((i) => i.id)).toEqual(tags(expectedIds));
  });
});

describe('determinism', () => {
  const PATHS = ['/feed.xml', '/atom.xml', '/feed.json', '/dw/atom.xml'];

  it('serves the same bytes and ETag on every request', async () => {
    for (const path of PATHS) {
      const [a, b] = [await get(app, path), await get(app, path)];
      expect(b.body).toBe(a.body);
      expect(b.etag).toBe(a.etag);
    }
  });

  it('gives the same bytes and ETags from a fresh service started years later', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2031-06-15T12:00:00Z') });
    let later: { service: Service; app: RunningServer } | undefined;
    try {
      later = await startService();
      for (const path of PATHS) {
        const [now, then] = [await get(app, path), await get(later.app, path)];
        expect(then.body, path).toBe(now.body);
        expect(then.etag, path).toBe(now.etag);
      }
    } finally {
      vi.useRealTimers();
      await later?.app.close();
      await later?.service.close();
    }
  });

  it('stamps no time but the articles\' own', () => {
    const stamped = new Set([...docs.atom.body.matchAll(/<(?:updated|published)>([^<]+)</g)].map((m) => m[1]!));
    // Entries state their own publication and edits; the feed's updated is its latest arrival.
    const known = new Set([...fixtures.values()].flatMap(({ expected }) => [expected.published, expected.modified, expected.archived]));
    for (const time of stamped) expect(known.has(time), time).toBe(true);
  });
});
