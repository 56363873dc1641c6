/**
 * The store contract (src/store/store.ts), written against the interface alone: every engine runs
 * it (tests/store/sqlite.test.ts, and PostgreSQL's suite next). `open` gives a fresh, empty store;
 * `reopen` a second connection to the same one, for what two writers must never do.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Article } from '../../src/model.js';
import { foldScript } from '../../src/shared/script.js';
import type { Store } from '../../src/store/store.js';
import { emptyFeedState } from '../../src/store/feedState.js';
import { archiveArticles, REAL_ARCHIVE_DIR } from '../support/archiveArticles.js';

export interface ContractHarness {
  /** A new, empty store. */
  open(): Promise<Store>;
  /** Another connection to the store `open` gave last. */
  reopen(): Promise<Store>;
  /** Drops what `open` made. */
  cleanup(): Promise<void>;
}

const T0 = Date.UTC(2024, 0, 1);

export function article(n: number, overrides: Partial<Article> = {}): Article {
  const url = `https://www.voachinese.com/a/${n}.html`;
  return {
    id: n.toString(16).padStart(16, '0'),
    url,
    canonicalUrl: url,
    title: `第${n}篇`,
    published: T0 + n * 60_000,
    archived: T0 + n * 60_000 + 1000,
    modified: T0 + n * 60_000 + 1000,
    source: ['voa', 'rfi', 'dw'][n % 3]!,
    language: n % 4 === 0 ? 'zh-Hant' : 'zh-Hans',
    summary: `摘要${n}`,
    contentHtml: `<p>正文${n}</p>`,
    ...overrides,
  };
}

const ids = (list: readonly Article[]): string[] => list.map((a) => a.id);

export function storeContract(engine: string, harness: ContractHarness): void {
  describe(`store contract: ${engine}`, () => {
    let store: Store;
    const others: Store[] = [];
    beforeEach(async () => {
      store = await harness.open();
    });
    afterEach(async () => {
      for (const s of others.splice(0)) await s.close();
      await store.close();
      await harness.cleanup();
    });
    const second = async (): Promise<Store> => {
      const s = await harness.reopen();
      others.push(s);
      return s;
    };

    describe('storing', () => {
      it('numbers arrivals 1, 2, 3 in storing order', async () => {
        const results = await store.insertMany([article(5), article(3), article(9)]);
        expect(results).toEqual([{ result: 'added', arrival: 1 }, { result: 'added', arrival: 2 }, { result: 'added', arrival: 3 }]);
        expect(await store.insert(article(1))).toEqual({ result: 'added', arrival: 4 });
      });

      it('refuses a second article with the same canonical URL, the first stored winning', async () => {
        await store.insert(article(1, { title: 'first' }));
        expect(await store.insert(article(2, { canonicalUrl: article(1).canonicalUrl, title: 'second' }))).toEqual({ result: 'duplicate' });
        expect((await store.get(article(1).id))?.title).toBe('first');
        expect(await store.get(article(2).id)).toBeUndefined();
      });

      it('refuses a second article with the same id', async () => {
        await store.insert(article(1));
        expect(await store.insert(article(2, { id: article(1).id }))).toEqual({ result: 'duplicate' });
        expect(await store.count({})).toBe(1);
      });

      it('decides duplicates inside one batch in order', async () => {
        const results = await store.insertMany([article(1), article(1, { title: 'again' }), article(2)]);
        expect(results.map((r) => r.result)).toEqual(['added', 'duplicate', 'added']);
        expect(results[2]).toEqual({ result: 'added', arrival: 2 });
      });

      it('gives back every field as stored', async () => {
        const full = article(7, { image: { url: 'https://img.example/a.jpg', caption: '图说' }, author: '记者', summary: 's', contentHtml: '<p>&amp; x</p>' });
        await store.insert(full);
        expect(await store.get(full.id)).toEqual(full);
        const bare = article(8);
        await store.insert(bare);
        expect(await store.get(bare.id)).toEqual(bare);
      });

      it('finds an article by canonical URL or by id', async () => {
        await store.insert(article(1));
        expect(await store.find(article(1).canonicalUrl, 'nothing')).toEqual({ id: article(1).id });
        expect(await store.find('https://elsewhere.example/', article(1).id)).toEqual({ id: article(1).id });
        expect(await store.find('https://elsewhere.example/', 'nothing')).toBeUndefined();
      });

      it('never stores one article twice from two connections at once', async () => {
        const other = await second();
        const batch = Array.from({ length: 40 }, (_, i) => article(i));
        const [a, b] = await Promise.all([store.insertMany(batch), other.insertMany([...batch].reverse())]);
        const added = [...a, ...b].filter((r) => r.result === 'added').length;
        expect(added).toBe(40);
        expect(await store.count({})).toBe(40);
        const arrivals = (await store.byArrival({}, 0, 100)).length;
        expect(arrivals).toBe(40);
      });
    });

    describe('listing', () => {
      beforeEach(async () => {
        await store.insertMany(Array.from({ length: 30 }, (_, i) => article(i + 1)));
      });

      it('lists newest published first', async () => {
        expect(ids(await store.newest({}, 3))).toEqual([article(30).id, article(29).id, article(28).id]);
        expect(ids(await store.newest({}, 3, 2))).toEqual([article(28).id, article(27).id, article(26).id]);
        expect(ids(await store.newest({ source: 'voa' }, 2, 1))).toEqual(ids((await store.newest({ source: 'voa' }, 3)).slice(1)));
        expect(await store.newest({}, 5, 30)).toEqual([]);
      });

      it('breaks a tie in published time by id', async () => {
        await store.insertMany([article(100, { published: T0 }), article(99, { published: T0 })]);
        const all = await store.newest({}, 100);
        expect(ids(all.slice(-2))).toEqual([article(99).id, article(100).id]);
      });

      it('narrows by source and by language', async () => {
        const voa = await store.newest({ source: 'voa' }, 100);
        expect(voa.length).toBe(10);
        expect(voa.every((a) => a.source === 'voa')).toBe(true);
        const hant = await store.newest({ language: 'zh-Hant' }, 100);
        expect(ids(hant)).toEqual([28, 24, 20, 16, 12, 8, 4].map((n) => article(n).id));
        expect(await store.newest({ source: 'voa', language: 'zh-Hant' }, 100)).toEqual(hant.filter((a) => a.source === 'voa'));
      });

      it('ranks by arrival, oldest first, within any filter', async () => {
        expect(ids(await store.byArrival({}, 10, 3))).toEqual([11, 12, 13].map((n) => article(n).id));
        expect(ids(await store.byArrival({ source: 'rfi' }, 1, 2))).toEqual([4, 7].map((n) => article(n).id));
        expect(ids(await store.byArrival({ language: 'zh-Hant' }, 0, 2))).toEqual([4, 8].map((n) => article(n).id));
        expect(await store.byArrival({}, 30, 10)).toEqual([]);
      });

      it('counts what each filter lists', async () => {
        expect(await store.count({})).toBe(30);
        expect(await store.count({ source: 'dw' })).toBe(10);
        expect(await store.count({ language: 'zh-Hant' })).toBe(7);
        expect(await store.count({ source: 'voa', language: 'zh-Hant' })).toBe((await store.newest({ source: 'voa', language: 'zh-Hant' }, 100)).length);
      });

      it('gives every article once, in arrival order, batch by batch', async () => {
        const batches: string[][] = [];
        for await (const batch of store.each(7)) batches.push(ids(batch));
        expect(batches.map((b) => b.length)).toEqual([7, 7, 7, 7, 2]);
        expect(batches.flat()).toEqual(Array.from({ length: 30 }, (_, i) => article(i + 1).id));
      });
    });

    describe('search', () => {
      const texts: [number, string, string][] = [
        [1, '台湾选举', '<p>台湾举行总统选举。</p>'],
        [2, '臺灣選舉', '<p>臺灣舉行總統選舉。</p>'],
        [3, '中俄外长会晤', '<p>王毅会见拉夫罗夫，讨论乌克兰。</p>'],
        [4, 'Trump and Xi', '<p>The <b>TRUMP</b> administration; <a href="https://example.org/img">link</a></p>'],
        [5, '台，湾', '<p>逗号隔开的台，湾不是台湾。</p>'],
        [6, '第7篇', '<p>编号 119，ＡＢＣ全角。</p>'],
      ];
      beforeEach(async () => {
        await store.insertMany(texts.map(([n, title, html]) => article(n, { title, contentHtml: html })));
      });
      const found = async (q: string): Promise<number[]> =>
        (await store.byArrival({ q }, 0, 100)).map((a) => texts.find(([n]) => article(n).id === a.id)![0]);

      it.each([
        ['one CJK character, in either script', '湾', [1, 2, 5]],
        ['two CJK characters, in either script', '台湾', [1, 2, 5]],
        ['three or more CJK characters, in either script', '举行总统', [1, 2]],
        ['the other script too: Traditional finds Simplified', '臺灣', [1, 2, 5]],
        ['a mix of scripts as a mix', '臺湾選举', [1, 2]],
        ['a Latin word, any case', 'trump', [4]],
        ['part of a Latin word', 'rum', [4]],
        ['a phrase across words', 'trump and', [4]],
        ['digits and CJK together', '第7篇', [6]],
        ['fullwidth letters as the query folds them', 'abc', [6]],
        ['digits', '119', [6]],
      ] as const)('finds %s', async (_what, q, expected) => {
        expect(await found(q)).toEqual(expected);
      });

      it('does not match across punctuation', async () => {
        expect(await found('台，湾')).toEqual([5]);
        expect(await found('湾不')).toEqual([5]);
      });

      it('does not match markup or URLs', async () => {
        expect(await found('href')).toEqual([]);
        expect(await found('example')).toEqual([]);
      });

      it('finds nothing for what no article says', async () => {
        expect(await found('莫斯科')).toEqual([]);
        expect(await found('zzz')).toEqual([]);
      });

      it('counts and lists newest first the same matches', async () => {
        expect(await store.count({ q: '台湾' })).toBe(3);
        expect(ids(await store.newest({ q: '台湾' }, 10))).toEqual([article(5).id, article(2).id, article(1).id]);
        expect(await store.count({ q: '臺灣', source: 'rfi' })).toBe(1);
        expect(await store.count({ q: '臺灣', language: 'zh-Hant' })).toBe(0);
        expect(await store.count({ q: '臺灣', language: 'zh-Hans' })).toBe(3);
      });

      it('follows a body replaced by a full-text fetch', async () => {
        await store.updateContent(article(3).id, { contentHtml: '<p>莫斯科会谈</p>', summary: '莫斯科', modified: T0 + 1e9, language: 'zh-Hans' });
        expect(await found('莫斯科')).toEqual([3]);
        expect(await found('拉夫罗夫')).toEqual([]);
        const updated = await store.get(article(3).id);
        expect(updated).toMatchObject({ contentHtml: '<p>莫斯科会谈</p>', summary: '莫斯科', modified: T0 + 1e9, title: '中俄外长会晤' });
        expect(ids(await store.byArrival({}, 2, 1))).toEqual([article(3).id]);
      });
    });

    it('answers any keyword exactly as a substring search of title and text would, across scripts', async () => {
      const alphabet = ['台', '湾', '臺', '灣', '中', '国', '國', 'a', 'B', '1', ' ', '，', '<', '>'];
      const word = fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 8 }).map((cs) => cs.join(''));
      await fc.assert(fc.asyncProperty(fc.array(word, { minLength: 1, maxLength: 12 }), word, async (bodies, q) => {
        const s = await harness.open();
        try {
          const stored = bodies.map((b, i) => article(i + 1, { title: `t${i}`, contentHtml: `<p>${b.replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>` }));
          await s.insertMany(stored);
          const key = foldScript(q.normalize('NFKC').toLowerCase().trim());
          if (key === '') return;
          const expected = stored.filter((a, i) => foldScript(`${a.title}\n ${bodies[i]} `.normalize('NFKC').toLowerCase()).includes(key)).map((a) => a.id);
          expect(ids(await s.byArrival({ q }, 0, 100))).toEqual(expected);
        } finally {
          await s.close();
        }
      }), { numRuns: 40 });
    });

    describe('stories', () => {
      /** Real articles (tests/fixtures/real-archive) by their file's number. */
      let real: Map<string, Article>;
      const file = (n: string): Article => [...real].find(([name]) => name.startsWith(`${n}_`))![1];
      const storyOf = async (n: string): Promise<string | undefined> => (await store.storiesOf([file(n).id])).get(file(n).id)?.id;
      beforeEach(async () => {
        real ??= await archiveArticles(REAL_ARCHIVE_DIR);
      });

      it('puts the reports of one event from several outlets, in either script, in one story named after the first stored', async () => {
        // RFI and VOA in Simplified, DW in Traditional, on Biden's arrival in Hanoi; then RFI on Cambodia.
        await store.insertMany([file('015'), file('017'), file('037'), file('021')]);
        const stories = await store.storiesOf(['015', '017', '037', '021'].map((n) => file(n).id));
        const hanoi = stories.get(file('017').id)!;
        expect(hanoi.id).toBe(file('015').id);
        const oldestFirst = ['015', '017', '037'].map(file).sort((a, b) => a.published - b.published);
        expect(hanoi.members.map((m) => m.id)).toEqual(oldestFirst.map((a) => a.id));
        expect(hanoi.members.map((m) => m.source).sort()).toEqual(['dw', 'rfi', 'voa']);
        expect(stories.get(file('037').id)!.id).toBe(hanoi.id);
        expect(stories.get(file('021').id)!.id).toBe(file('021').id);
        expect(stories.get(file('021').id)!.members).toHaveLength(1);
      });

      it('merges two stories an article links into the older one, which keeps its id', async () => {
        // RFI's first report and VOA's death toll score under the threshold; RFI's survivors piece links both.
        await store.insert(file('009'));
        await store.insert(file('031'));
        expect(await storyOf('031')).toBe(file('031').id);
        await store.insert(file('026'));
        for (const n of ['009', '026', '031']) expect(await storyOf(n)).toBe(file('009').id);
        expect((await store.storiesOf([file('031').id])).get(file('031').id)!.size).toBe(3);
      });

      it('lists stories of two or more sources, latest member first, and counts them', async () => {
        await store.insertMany(['002', '020', '025', '029', '009', '026', '005'].map(file));
        const listed = await store.storyList(10);
        // Li Shangfu (VOA, RFI; last 12 Sep), Hong Kong rain (VOA, RFI; last 11 Sep); Morocco is RFI's alone so far.
        expect(listed.map((s) => s.id)).toEqual([file('025').id, file('002').id]);
        expect(await store.storyCount()).toBe(2);
        expect(await store.storyList(10, 1)).toEqual([listed[1]]);
      });

      it('leaves out ids it does not hold', async () => {
        await store.insert(file('005'));
        expect([...(await store.storiesOf([file('005').id, 'ffffffffffffffff']))].map(([id]) => id)).toEqual([file('005').id]);
      });

      it('links a rewritten article to the story its new text reports', async () => {
        const summary = { ...file('029'), contentHtml: '<p>新头壳称。</p>' };
        await store.insertMany([file('025'), summary]);
        expect(await storyOf('029')).toBe(file('029').id);
        await store.updateContent(file('029').id, { contentHtml: file('029').contentHtml, summary: file('029').summary, modified: file('029').modified + 1, language: 'zh-Hans' });
        expect(await storyOf('029')).toBe(file('025').id);
      });

      it('regroups to the stories it made article by article', async () => {
        const order = ['031', '009', '017', '015', '026', '037', '021'].map(file);
        for (const a of order) await store.insert(a);
        const before = await store.storiesOf(order.map((a) => a.id));
        expect(await store.regroup()).toBe(3);
        expect(await store.storiesOf(order.map((a) => a.id))).toEqual(before);
      });
    });

    describe('state', () => {
      it('keeps feed states, replacing them whole', async () => {
        const a = { ...emptyFeedState('voa', 'https://x/1'), etag: '"e"', failures: 2, nextRetry: 5 };
        const b = emptyFeedState('dw', 'https://x/2');
        await store.saveFeedStates([a, b]);
        expect(await store.feedStates()).toEqual([b, a]);
        await store.saveFeedStates([b]);
        expect(await store.feedStates()).toEqual([b]);
      });

      it('keeps pending full-text retries and counts', async () => {
        const pending = [{ id: 'a1', source: 'voa', url: 'https://x/a', attempts: 2, nextTry: 99, lastError: 'HTTP 404' }];
        await store.saveFullTextState(pending, { voa: { succeeded: 3, failed: 2, gaveUp: 1 } });
        expect(await store.fullTextState()).toEqual({ pending, counts: { voa: { succeeded: 3, failed: 2, gaveUp: 1 } } });
      });

      it('remembers imported files per folder', async () => {
        await store.markImported('/a', [{ name: '000_x.txt', size: 10, mtimeMs: 1.5 }]);
        await store.markImported('/a', [{ name: '000_x.txt', size: 11, mtimeMs: 2.5 }]);
        expect(await store.importedFiles('/a')).toEqual(new Map([['000_x.txt', { size: 11, mtimeMs: 2.5 }]]));
        expect((await store.importedFiles('/b')).size).toBe(0);
      });

      it('keeps meta values', async () => {
        expect(await store.getMeta('k')).toBeUndefined();
        await store.setMeta('k', 'v1');
        await store.setMeta('k', 'v2');
        expect(await store.getMeta('k')).toBe('v2');
      });
    });

    describe('WebSub subscriptions', () => {
      const sub = (callback: string, topic: string, expires: number) => ({ callback, topic, leaseSeconds: 60, expires });

      it('adds, replaces and lists subscriptions by topic then callback', async () => {
        await store.saveSubscription(sub('http://b.example/cb', 'http://x/feeds/all.xml', 2_000));
        await store.saveSubscription({ ...sub('http://a.example/cb', 'http://x/feeds/all.xml', 1_000), secret: 's3cret' });
        await store.saveSubscription(sub('http://b.example/cb', 'http://x/feeds/all.xml', 5_000));
        expect(await store.subscriptions()).toEqual([
          { ...sub('http://a.example/cb', 'http://x/feeds/all.xml', 1_000), secret: 's3cret' },
          sub('http://b.example/cb', 'http://x/feeds/all.xml', 5_000),
        ]);
      });

      it('records the ETag last delivered', async () => {
        await store.saveSubscription(sub('http://a.example/cb', 't', 1_000));
        await store.markDelivered('http://a.example/cb', 't', '"abc"');
        expect((await store.subscriptions())[0]?.deliveredEtag).toBe('"abc"');
      });

      it('removes one subscription, saying whether it existed', async () => {
        await store.saveSubscription(sub('http://a.example/cb', 't', 1_000));
        expect(await store.removeSubscription('http://a.example/cb', 't')).toBe(true);
        expect(await store.removeSubscription('http://a.example/cb', 't')).toBe(false);
        expect(await store.subscriptions()).toEqual([]);
      });

      it('expires the leases ended at or before now', async () => {
        await store.saveSubscription(sub('http://a.example/cb', 't', 1_000));
        await store.saveSubscription(sub('http://b.example/cb', 't', 1_001));
        expect(await store.expireSubscriptions(1_000)).toBe(1);
        expect((await store.subscriptions()).map((s) => s.callback)).toEqual(['http://b.example/cb']);
      });
    });

    describe('changes', () => {
      it('tells its listeners of its own writes at once', async () => {
        let calls = 0;
        store.onChange(() => {
          calls += 1;
        });
        const before = await store.version();
        await store.insert(article(1));
        expect(calls).toBe(1);
        expect(await store.version()).not.toBe(before);
        await store.insert(article(1));
        expect(calls).toBe(1); // a duplicate changes nothing
      });

      it('sees another connection\'s writes', async () => {
        const before = await store.version();
        const other = await second();
        await other.insert(article(1));
        await expect.poll(() => store.version(), { timeout: 5_000 }).not.toBe(before);
        expect(await store.count({})).toBe(1);
      });
    });
  });
}
