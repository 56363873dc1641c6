import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeedrelayError, SeedParseError, StoreError } from '../src/errors.js';
import { Ingest } from '../src/ingest.js';
import { exportArchive } from '../src/interchange/exportArchive.js';
import { silentLog } from '../src/log.js';
import type { SourcedDraft } from '../src/model.js';
import { canonicalUrl, urlHash } from '../src/normalize/canonicalUrl.js';
import { ArchiveDir } from '../src/sources/archiveDir.js';
import type { SourceRegistry } from '../src/sources/registry.js';
import { openStore } from '../src/store/open.js';
import { SqliteStore } from '../src/store/sqlite.js';
import type { Store } from '../src/store/store.js';
import { sourceRegistry } from './support/seeds.js';
import { removeDir, tempDir } from './support/tempDir.js';

/** The one way in (src/ingest.ts): dedupe, normalisation errors, numbering, and nothing half-stored. */

const FETCHED = Date.UTC(2024, 9, 31, 12, 0, 0);
const URL = 'https://www.voachinese.com/a/chinese-american-voters-economy-20241031/7845001.html';
const ID = urlHash(canonicalUrl(URL));

function draft(overrides: Partial<SourcedDraft> = {}): SourcedDraft {
  return {
    origin: 'https://www.voachinese.com/api/feed item 1',
    url: URL,
    title: '美国大选前夕 华裔选民关注经济议题',
    html: '<p>距离美国总统大选投票日不到一周，华裔选民最关心的是通货膨胀和就业。</p>',
    archived: FETCHED,
    published: Date.UTC(2024, 9, 31, 1, 12, 34),
    source: 'voa',
    language: 'zh-Hans',
    image: 'https://gdb.voanews.com/lead_w800.jpg?a=1&b=2',
    ...overrides,
  };
}

let dir: string;
let sources: SourceRegistry;
let open: Store[];

/** A store in `dir` (a file, so it can be closed and opened again), closed after the test. */
async function fileStore(): Promise<Store> {
  const store = await openStore({ dataDir: join(dir, 'data') });
  open.push(store);
  return store;
}

function memoryStore(): Store {
  const store = SqliteStore.open(':memory:');
  open.push(store);
  return store;
}

beforeEach(async () => {
  dir = await tempDir('ingest');
  sources = await sourceRegistry();
  open = [];
});
afterEach(async () => {
  for (const store of open) await store.close();
  await removeDir(dir);
});

describe('Ingest.ingest', () => {
  it('stores the normalised article under its canonical URL hash, the upstream image in its body', async () => {
    const store = memoryStore();
    const stored = await new Ingest(store, silentLog).ingest(draft());
    expect(stored).toMatchObject({ result: 'added', arrival: 1, article: { id: ID, canonicalUrl: URL } });
    expect(await store.get(ID)).toEqual(stored.result === 'added' && stored.article);
    // Unmodified since publication (issue #13): modified is the published time, not the archived one.
    expect(await store.get(ID)).toMatchObject({
      published: Date.UTC(2024, 9, 31, 1, 12, 34), archived: FETCHED, modified: Date.UTC(2024, 9, 31, 1, 12, 34), source: 'voa', language: 'zh-Hans',
      image: { url: 'https://gdb.voanews.com/lead_w800.jpg?a=1&b=2' },
      contentHtml: '<img src="https://gdb.voanews.com/lead_w800.jpg?a=1&amp;b=2" /><p>距离美国总统大选投票日不到一周，华裔选民最关心的是通货膨胀和就业。</p>',
    });
  });

  it('exports the stored article as NNN_<id>.txt (NNN its arrival) in the seed format', async () => {
    const store = memoryStore();
    await new Ingest(store, silentLog).ingest(draft());
    const out = join(dir, 'export');
    expect(await exportArchive(store, out)).toMatchObject({ files: 1 });
    expect(await readdir(out)).toEqual([`001_${ID}.txt`]);
    expect(await readFile(join(out, `001_${ID}.txt`), 'utf8')).toBe([
      `<!--${FETCHED}-->`,
      `[美国大选前夕 华裔选民关注经济议题](${URL})`,
      '------',
      '',
      '<div><i>2024-10-31T01:12:34.000Z</i></div><img src="https://gdb.voanews.com/lead_w800.jpg?a=1&amp;b=2" /><p>距离美国总统大选投票日不到一周，华裔选民最关心的是通货膨胀和就业。</p>',
      '',
    ].join('\n'));
  });

  it('publishes what an export imported into a fresh store gives back, field for field', async () => {
    const store = memoryStore();
    const added = await new Ingest(store, silentLog).ingest(draft());
    const out = join(dir, 'export');
    await exportArchive(store, out);
    const fresh = memoryStore();
    expect(await new ArchiveDir(out, { ingest: new Ingest(fresh, silentLog), sources, log: silentLog }).scan()).toMatchObject({ added: 1, errors: [] });
    expect(added.result === 'added' && added.article).toEqual(await fresh.get(ID));
  });

  /** Export, then import into a fresh store: the article that comes back. */
  async function throughExport(d: SourcedDraft): Promise<{ added: unknown; back: unknown }> {
    const store = memoryStore();
    const added = await new Ingest(store, silentLog).ingest(d);
    if (added.result !== 'added') throw new Error('not stored');
    const out = join(dir, 'export');
    await exportArchive(store, out);
    const fresh = memoryStore();
    expect(await new ArchiveDir(out, { ingest: new Ingest(fresh, silentLog), sources, log: silentLog }).scan()).toMatchObject({ added: 1, errors: [] });
    return { added: added.article, back: await fresh.get(added.article.id) };
  }

  // Titles are plain text (issue #13); the seed line escapes them, so they read back exactly.
  it.each([
    '5 < 6 and x<y', 'Why <blink> is dead', 'AT&T 与 T-Mobile', 'a &amp; b, literally', '<b>not markup</b>', '&lt;', 'a]b(c)',
    '[标题](https://e.org/x)', 'x</y>', '&copy; 2024 &nbsp;',
  ])('gives back the title %j exactly through export and import', async (title) => {
    const { added, back } = await throughExport(draft({ title }));
    expect(back).toEqual(added);
    expect((back as { title: string }).title).toBe(title);
  });

  it('gives back a DW date line\'s author through export and import', async () => {
    const html = '<div><i>Michael  Da Silva <br>2023-09-11T12:24:42.024Z</i></div><p>德国总理朔尔茨周一表示。</p>';
    const { image: _image, published: _published, ...dw } = draft({ html, url: 'https://www.dw.com/zh/a-66782405', source: 'dw' });
    const { added, back } = await throughExport(dw);
    expect(added).toMatchObject({ author: 'Michael Da Silva', published: Date.UTC(2023, 8, 11, 12, 24, 42, 24) });
    expect(back).toEqual(added);
  });

  it('is what a restart reads back from the data folder', async () => {
    const first = await fileStore();
    const added = await new Ingest(first, silentLog).ingest(draft());
    await first.close();
    const reopened = await fileStore();
    expect(await reopened.count({})).toBe(1);
    expect(await reopened.get(ID)).toEqual(added.result === 'added' && added.article);
  });

  it('numbers arrivals in storing order, continuing after what a restart finds stored', async () => {
    const first = await fileStore();
    expect(await new Ingest(first, silentLog).ingest(draft({ url: 'https://www.voachinese.com/a/older/1.html' }))).toMatchObject({ arrival: 1 });
    await first.close();
    const store = await fileStore();
    const ingest = new Ingest(store, silentLog);
    expect(await ingest.ingest(draft({ url: 'https://www.voachinese.com/a/first/2.html' }))).toMatchObject({ result: 'added', arrival: 2 });
    expect(await ingest.ingest(draft({ url: 'https://www.voachinese.com/a/second/3.html' }))).toMatchObject({ result: 'added', arrival: 3 });
    expect((await store.byArrival({}, 0, 10)).map((a) => a.url)).toEqual([
      'https://www.voachinese.com/a/older/1.html', 'https://www.voachinese.com/a/first/2.html', 'https://www.voachinese.com/a/second/3.html',
    ]);
  });

  it.each([
    ['http:// instead of https://', 'http://www.voachinese.com/a/chinese-american-voters-economy-20241031/7845001.html'],
    ['tracking parameters and a fragment', `${URL}?utm_source=rss&utm_campaign=x#top`],
    ['an upper-case host and the default port', 'https://WWW.VOACHINESE.COM:443/a/chinese-american-voters-economy-20241031/7845001.html'],
  ])('refuses the same article again with %s, storing nothing', async (_name, url) => {
    const store = memoryStore();
    const ingest = new Ingest(store, silentLog);
    await ingest.ingest(draft());
    expect(await ingest.isStored({ url })).toBe(true);
    expect(await ingest.ingest(draft({ url, title: '另一个标题' }))).toEqual({ result: 'duplicate' });
    expect(await store.count({})).toBe(1);
    expect((await store.get(ID))?.title).toBe('美国大选前夕 华裔选民关注经济议题');
  });

  it('refuses a draft whose fixed id is taken, whatever its URL', async () => {
    const store = memoryStore();
    const ingest = new Ingest(store, silentLog);
    await ingest.ingest(draft());
    const other = draft({ url: 'https://www.voachinese.com/a/elsewhere/9.html', id: ID });
    expect(await ingest.isStored(other)).toBe(true);
    expect(await ingest.ingest(other)).toEqual({ result: 'duplicate' });
    expect(await store.count({})).toBe(1);
    expect(await ingest.isStored({ url: 'https://www.voachinese.com/a/elsewhere/9.html' })).toBe(false);
  });

  it('stores one of two simultaneous ingests of the same article', async () => {
    const store = memoryStore();
    const ingest = new Ingest(store, silentLog);
    const results = await Promise.all([ingest.ingest(draft()), ingest.ingest(draft({ url: `${URL}#again` }))]);
    expect(results.map((r) => r.result).sort()).toEqual(['added', 'duplicate']);
    expect(await store.count({})).toBe(1);
  });

  it('stores one of two simultaneous ingests through two stores on the same file', async () => {
    const a = await fileStore();
    const b = await fileStore();
    const results = await Promise.all([new Ingest(a, silentLog).ingest(draft()), new Ingest(b, silentLog).ingest(draft({ url: `${URL}?utm_source=x` }))]);
    expect(results.map((r) => r.result).sort()).toEqual(['added', 'duplicate']);
    expect(await a.count({})).toBe(1);
    expect(await b.count({})).toBe(1);
  });

  it('throws a named FeedrelayError for a draft that cannot become an article, storing nothing', async () => {
    const store = memoryStore();
    const error = await new Ingest(store, silentLog).ingest(draft({ title: ' \u0001 ' })).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(FeedrelayError);
    expect(error).toBeInstanceOf(SeedParseError);
    expect((error as SeedParseError).message).toBe('https://www.voachinese.com/api/feed item 1: the title is empty');
    expect(await store.count({})).toBe(0);
  });
});

describe('Ingest.storePrepared', () => {
  it('stores a batch in order, or none of it when one article cannot be stored', async () => {
    const store = memoryStore();
    const ingest = new Ingest(memoryStore(), silentLog);
    const first = await ingest.ingest(draft());
    const second = await ingest.ingest(draft({ url: 'https://www.voachinese.com/a/second/2.html' }));
    if (first.result !== 'added' || second.result !== 'added') throw new Error('not stored');
    const into = new Ingest(store, silentLog);
    const broken = { ...second.article, title: null as unknown as string };
    const error = await into.storePrepared([first.article, broken]).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StoreError);
    expect(await store.count({})).toBe(0);
    expect(await store.get(first.article.id)).toBeUndefined();
    expect((await into.storePrepared([first.article, second.article, first.article])).map((r) => r.result)).toEqual(['added', 'added', 'duplicate']);
    expect((await store.byArrival({}, 0, 10)).map((a) => a.id)).toEqual([first.article.id, second.article.id]);
  });
});

describe('Ingest.rewrite', () => {
  it('replaces the body and keeps the id, URL and arrival', async () => {
    const store = memoryStore();
    const ingest = new Ingest(store, silentLog);
    const stored = await ingest.ingest(draft());
    if (stored.result !== 'added') throw new Error('not stored');
    const later = FETCHED + 60_000;
    const updated = await ingest.rewrite(stored.article, '<p>全文：华裔选民最关心的是通货膨胀、就业和治安。</p>', later);
    expect(updated).toMatchObject({ id: ID, url: URL, modified: later });
    const read = await store.get(ID);
    expect(read).toMatchObject({ id: ID, url: URL, archived: FETCHED, modified: later });
    expect(read?.contentHtml).toContain('全文：华裔选民最关心的是通货膨胀、就业和治安。');
    expect((await store.byArrival({}, 0, 1)).map((a) => a.id)).toEqual([ID]);
    expect(await store.count({ q: '治安' })).toBe(1);
  });
});
