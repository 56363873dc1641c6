import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeedrelayError } from '../../src/errors.js';
import { silentLog } from '../../src/log.js';
import type { ArticleDraft } from '../../src/model.js';
import { canonicalUrl, urlHash } from '../../src/normalize/canonicalUrl.js';
import { ArchiveDir } from '../../src/sources/archiveDir.js';
import { loadSourceDefinitions } from '../../src/sources/definitions.js';
import { SourceRegistry } from '../../src/sources/registry.js';
import { ArchiveWriter, archiveText } from '../../src/store/archiveWriter.js';
import { ArticleStore } from '../../src/store/store.js';
import { removeDir, ROOT, tempDir } from './support.js';

const FETCHED = Date.UTC(2024, 9, 31, 12, 0, 0);

function draft(overrides: Partial<ArticleDraft> = {}): ArticleDraft {
  return {
    origin: 'https://www.voachinese.com/api/feed item 1',
    url: 'https://www.voachinese.com/a/chinese-american-voters-economy-20241031/7845001.html',
    title: '美国大选前夕 华裔选民关注经济议题',
    html: '<p>距离美国总统大选投票日不到一周，华裔选民最关心的是通货膨胀和就业。</p>',
    archived: FETCHED,
    published: Date.UTC(2024, 9, 31, 1, 12, 34),
    source: 'voa',
    image: 'https://gdb.voanews.com/lead_w800.jpg?a=1&b=2',
    ...overrides,
  };
}

let dir: string;
let sources: SourceRegistry;
let store: ArticleStore;
let writer: ArchiveWriter;

beforeEach(async () => {
  dir = join(await tempDir('writer'), 'data');
  sources = new SourceRegistry((await loadSourceDefinitions(join(ROOT, 'feeds'))).sources);
  store = new ArticleStore();
  writer = new ArchiveWriter(dir, { sources, store, log: silentLog });
  await writer.prepare();
});
afterEach(() => removeDir(join(dir, '..')));

async function txtFiles(): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.endsWith('.txt')).sort();
}

describe('ArchiveWriter.add', () => {
  it('writes the article as NNN_<id>.txt in the seed format', async () => {
    const id = urlHash(canonicalUrl(draft().url));
    expect(await writer.add(draft())).toMatchObject({ result: 'added', file: `000_${id}.txt`, article: { id } });
    expect(await txtFiles()).toEqual([`000_${id}.txt`]);
    const text = await readFile(join(dir, `000_${id}.txt`), 'utf8');
    expect(text).toBe([
      `<!--${FETCHED}-->`,
      '[美国大选前夕 华裔选民关注经济议题](https://www.voachinese.com/a/chinese-american-voters-economy-20241031/7845001.html)',
      '------',
      '',
      '<div><i>2024-10-31T01:12:34.000Z</i></div><img src="https://gdb.voanews.com/lead_w800.jpg?a=1&amp;b=2"><p>距离美国总统大选投票日不到一周，华裔选民最关心的是通货膨胀和就业。</p>',
      '',
    ].join('\n'));
  });

  it('publishes what a restart reads back from the file, field for field', async () => {
    const added = await writer.add(draft());
    const reloaded = new ArticleStore();
    await new ArchiveDir(dir, { sources, store: reloaded, log: silentLog }).scan();
    expect(added.result === 'added' && added.article).toEqual(reloaded.list()[0]);
    expect(reloaded.list()[0]).toMatchObject({ published: Date.UTC(2024, 9, 31, 1, 12, 34), archived: FETCHED, source: 'voa', image: { url: 'https://gdb.voanews.com/lead_w800.jpg?a=1&b=2' } });
  });

  it('numbers files in storing order, after the highest already in the folder', async () => {
    await writeFile(join(dir, '007_0123456789abcdef.txt'), archiveText(draft({ url: 'https://www.voachinese.com/a/older/1.html' })));
    await writer.prepare();
    await writer.add(draft({ url: 'https://www.voachinese.com/a/first/2.html' }));
    await writer.add(draft({ url: 'https://www.voachinese.com/a/second/3.html' }));
    expect((await txtFiles()).map((n) => n.slice(0, 4))).toEqual(['007_', '008_', '009_']);
  });

  it.each([
    ['http:// instead of https://', 'http://www.voachinese.com/a/chinese-american-voters-economy-20241031/7845001.html'],
    ['tracking parameters and a fragment', 'https://www.voachinese.com/a/chinese-american-voters-economy-20241031/7845001.html?utm_source=rss&utm_campaign=x#top'],
    ['an upper-case host and the default port', 'https://WWW.VOACHINESE.COM:443/a/chinese-american-voters-economy-20241031/7845001.html'],
  ])('refuses the same article again with %s, writing nothing', async (_name, url) => {
    await writer.add(draft());
    expect(await writer.add(draft({ url, title: '另一个标题' }))).toEqual({ result: 'duplicate' });
    expect(await txtFiles()).toHaveLength(1);
    expect(store.size).toBe(1);
  });

  it('stores one of two simultaneous adds of the same article', async () => {
    const results = await Promise.all([writer.add(draft()), writer.add(draft({ url: `${draft().url}#again` }))]);
    expect(results.map((r) => r.result).sort()).toEqual(['added', 'duplicate']);
    expect(await txtFiles()).toHaveLength(1);
  });

  it('throws a FeedrelayError for a draft that cannot become an article, writing nothing', async () => {
    await expect(writer.add(draft({ title: ' \u0001 ' }))).rejects.toBeInstanceOf(FeedrelayError);
    expect(await txtFiles()).toEqual([]);
    expect(store.size).toBe(0);
  });

  it('adds nothing to the store when the file cannot be written', async () => {
    await rm(dir, { recursive: true });
    await writeFile(dir, 'not a folder');
    const error = await writer.add(draft()).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(FeedrelayError);
    expect(store.size).toBe(0);
  });
});

describe('ArchiveWriter.prepare', () => {
  it('removes the temporary file of a writer that died, and keeps one of a live writer', async () => {
    const dead = '.000_0123456789abcdef.txt.999999999.0badc0de.tmp';
    const live = `.001_0123456789abcdef.txt.${process.pid}.0badc0de.tmp`;
    await writeFile(join(dir, dead), '<!--17');
    await writeFile(join(dir, live), '<!--17');
    expect(await writer.prepare()).toEqual([dead]);
    expect((await readdir(dir)).sort()).toEqual([live]);
  });

  it('creates the data folder', async () => {
    const nested = join(dir, 'a', 'b');
    await new ArchiveWriter(nested, { sources, store, log: silentLog }).prepare();
    expect((await stat(nested)).isDirectory()).toBe(true);
  });
});
