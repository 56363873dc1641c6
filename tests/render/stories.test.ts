import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../src/model.js';
import { converterFor } from '../../src/render/opencc.js';
import type { FeedPublisher } from '../../src/render/publisher.js';
import type { Store } from '../../src/store/store.js';
import { ORIGIN, publisherOver, storeOf } from '../support/articles.js';
import { writeTemp } from '../support/tempDir.js';
import { ATOM_RNC, hasJing, hasXmllint, runTool } from '../support/validators.js';
import { archiveArticles, REAL_ARCHIVE_DIR, SEEDS_DIR } from '../support/archiveArticles.js';

/**
 * Issue #15's outputs over the labelled archive and the seeds: Biden's arrival in Hanoi is
 * reported by RFI (015), VOA (017) and DW twice (037 in Traditional characters, 044); each item
 * names its story and the other members in every format, the index page says who else reported
 * it, and /stories/ has one entry per story of two or more outlets.
 */
let store: Store;
let publisher: FeedPublisher;
let real: Map<string, Article>;
const file = (n: string): Article => [...real].find(([name]) => name.startsWith(`${n}_`))![1];
const HANOI = ['015', '017', '037', '044'];
const doc = async (path: string, query = ''): Promise<string> => (await publisher.document(ORIGIN, path, query))!.body.toString('utf8');

beforeAll(async () => {
  real = await archiveArticles(REAL_ARCHIVE_DIR);
  const all = [...(await archiveArticles(SEEDS_DIR)).values(), ...real.values()];
  store = await storeOf(all.sort((a, b) => a.archived - b.archived || (a.id < b.id ? -1 : 1)));
  publisher = await publisherOver(store);
});
afterAll(async () => {
  publisher?.close();
  await store?.close();
});

describe('an item of a story', () => {
  it('carries _feedrelay in JSON Feed: its story and the other members, oldest first, exactly', async () => {
    const feed = JSON.parse(await doc('/feed.json')) as { items: { id: string; _feedrelay?: unknown }[] };
    const item = feed.items.find((i) => i.id.endsWith(file('017').id))!;
    const others = HANOI.filter((n) => n !== '017').map(file).sort((a, b) => a.published - b.published);
    expect(item._feedrelay).toEqual({
      story: file('015').id,
      related: others.map((a) => ({ id: a.id, url: new URL(a.url).href, title: a.title, source: a.source })),
    });
    expect(Object.keys(item._feedrelay as object)).toEqual(['story', 'related']);
  });

  it('carries an empty related list in JSON Feed when it is alone', async () => {
    const feed = JSON.parse(await doc('/feed.json')) as { items: { id: string; _feedrelay?: { story: string; related: unknown[] } }[] };
    const alone = feed.items.find((i) => i.id.endsWith(file('021').id))!;
    expect(alone._feedrelay).toEqual({ story: file('021').id, related: [] });
  });

  it('links each other member as rel="related" in Atom, with the story as a category', async () => {
    const feed = parseAtomFeed(await doc('/atom.xml'));
    const entry = feed.entries!.find((e) => e.id!.endsWith(file('037').id))!;
    const related = entry.links!.filter((l) => l.rel === 'related');
    expect(related.map((l) => l.href).sort()).toEqual(['015', '017', '044'].map((n) => new URL(file(n).url).href).sort());
    expect(related.find((l) => l.href === new URL(file('017').url).href)!.title).toBe(file('017').title);
    expect(entry.categories).toContainEqual({ term: file('015').id, scheme: 'tag:feedrelay,2024:story' });
  });

  it('names its story and siblings in RSS as a category and atom:link elements', async () => {
    const feed = parseRssFeed(await doc('/feed.xml'));
    const item = feed.items!.find((i) => i.guid!.value!.endsWith(file('044').id))!;
    expect(item.categories).toContainEqual({ name: file('015').id, domain: 'tag:feedrelay,2024:story' });
    const related = (item.atom?.links ?? []).filter((l) => l.rel === 'related');
    expect(related.map((l) => l.href).sort()).toEqual(['015', '017', '037'].map((n) => new URL(file(n).url).href).sort());
  });

  it('names the story in an outlet feed too, siblings from other outlets included', async () => {
    const feed = JSON.parse(await doc('/voa/feed.json')) as { items: { id: string; _feedrelay: { story: string; related: { source: string }[] } }[] };
    const item = feed.items.find((i) => i.id.endsWith(file('017').id))!;
    expect(item._feedrelay.related.map((r) => r.source).sort()).toEqual(['dw', 'dw', 'rfi']);
  });

  it('converts the siblings\' titles with the rest of a converted feed', async () => {
    const feed = JSON.parse(await doc('/feed.json', 'opencc=s2tw')) as { items: { id: string; _feedrelay: { related: { id: string; title: string }[] } }[] };
    const item = feed.items.find((i) => i.id.endsWith(file('037').id))!;
    const title = item._feedrelay.related.find((r) => r.id === file('017').id)!.title;
    expect(title).not.toBe(file('017').title);
    expect(title).toBe(converterFor('s2tw')(file('017').title));
  });

  it('says nothing of stories on an archive page, whose bytes never change', async () => {
    const page = await doc('/archive/1/feed.json');
    expect(page).not.toContain('_feedrelay');
  });
});

describe('the index page', () => {
  it('says which other outlets reported an article\'s event, linking their reports', async () => {
    const html = await doc('/');
    const item = html.slice(html.indexOf(`/articles/${file('017').id}.html`));
    const also = /<p class="also">([^]*?)<\/p>/.exec(item)![1]!;
    expect(also).toContain('同一事件也见');
    expect(also).toContain(`href="${new URL(file('015').url).href}"`);
    expect(also).toContain('法国国际广播电台');
    expect(also).toContain('德国之声中文网');
    expect(also).not.toContain('美国之音');
  });
});

describe('/stories/', () => {
  it('has one entry per story of two or more outlets, latest first, linking every member with its outlet', async () => {
    const feed = parseJsonFeed(await doc('/stories/feed.json'));
    expect(feed.items!.map((i) => i.title)).toEqual([file('015').title, file('009').title, file('025').title, file('002').title]);
    const hanoi = feed.items![0]!;
    for (const n of HANOI) expect(hanoi.content_html).toContain(`href="${new URL(file(n).url).href}"`);
    expect(hanoi.content_html).toContain('美国之音中文网');
    expect(hanoi.date_published).toBe(new Date(Math.max(...HANOI.map((n) => file(n).published))).toISOString());
  });

  it('reads back in RSS and Atom with the same entries', async () => {
    const rss = parseRssFeed(await doc('/stories/feed.xml'));
    const atom = parseAtomFeed(await doc('/stories/atom.xml'));
    const atomTitle = (title: unknown): unknown => (typeof title === 'object' && title !== null && 'value' in title ? title.value : title);
    expect(rss.items!.map((i) => i.title)).toEqual(atom.entries!.map((e) => atomTitle(e.title)));
    expect(atom.entries).toHaveLength(4);
    expect(atom.entries![0]!.links!.filter((l) => l.rel === 'related')).toHaveLength(4);
  });

  it('takes the filters other feeds take: q over the members\' titles, lang, limit', async () => {
    const titles = async (query: string): Promise<string[]> => (parseJsonFeed(await doc('/stories/feed.json', query)).items ?? []).map((i) => i.title!);
    expect(await titles('q=%E9%81%8F%E5%88%B6')).toEqual([file('015').title]); // 遏制, in DW's headline of the Hanoi story
    expect(await titles('lang=zh-Hant')).toEqual([file('015').title]); // only that story has DW's Traditional report
    expect(await titles('limit=2')).toHaveLength(2);
    // 2023's stories are all older than an hour before the wall clock.
    expect(await titles('filter_time=3600')).toEqual([]);
  });

  it('pages its archive, oldest stories on page 1', async () => {
    const page = parseJsonFeed(await doc('/stories/archive/1/feed.json'));
    expect(page.items!.map((i) => i.title)).toEqual([file('015').title, file('009').title, file('025').title, file('002').title]);
    await expect(publisher.document(ORIGIN, '/stories/archive/2/feed.json', '')).rejects.toThrow(/archive page 2 does not exist/);
  });

  it.runIf(hasXmllint())('is well-formed XML (xmllint)', async () => {
    const files = await writeTemp({ 'stories.rss': await doc('/stories/feed.xml'), 'stories.atom': await doc('/stories/atom.xml'), 'all.rss': await doc('/feed.xml') });
    const result = runTool('xmllint', ['--noout', ...files]);
    expect(result.output).toBe('');
  });

  it.runIf(hasJing())('matches the RFC 4287 schema, and so do entries with related links (jing)', async () => {
    const files = await writeTemp({ 'stories.atom': await doc('/stories/atom.xml'), 'all.atom': await doc('/atom.xml') });
    const result = runTool('jing', ['-c', ATOM_RNC, ...files]);
    expect(result.output).toBe('');
  });
});
